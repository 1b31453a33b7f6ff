package io.dynamicshare.escrow;

import io.dynamicshare.audit.AuditEvent;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Escrow keys as an operator makes them offline (RSA-3072, a self-signed certificate with keyEncipherment), written
 * as PEM files the way {@code openssl req -x509} and {@code openssl genpkey} write them, and development-KEK stores
 * configured with one.
 */
final class EscrowFixture {
    /** Two escrow key pairs, made once per JVM: RSA-3072 key generation takes a second or so. */
    static final KeyPair ESCROW = rsa(3072);
    static final KeyPair NEXT_ESCROW = rsa(3072);

    private EscrowFixture() {
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate certificate(KeyPair pair, String cn, long serial) throws Exception {
        X500Name name = new X500Name("CN=" + cn + ",O=Example Treasury");
        Date now = new Date();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(serial), now,
                new Date(now.getTime() + 10L * 365 * 86_400_000L), name, pair.getPublic());
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment));
        b.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        String alg = pair.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(alg).build(pair.getPrivate())));
    }

    /** Writes {@code objects} (certificate, keys) as PEM, private keys as PKCS #8 {@code PRIVATE KEY}. */
    static Path pem(Path file, Object object) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(object instanceof java.security.PrivateKey
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator((java.security.PrivateKey) object, null)
                    : object);
        }
        return file;
    }

    /** A development RSA KEK and a configuration with {@code extra} (e.g. escrow.certificate), in {@code dir}. */
    static final class DevStore {
        final Path dir;
        final Path config;
        final Path kekFile;
        final LocalDevKek kek;
        final List<AuditEvent> events = new CopyOnWriteArrayList<>();

        DevStore(Path dir, Properties extra) throws Exception {
            this.dir = Files.createDirectories(dir);
            Files.writeString(dir.resolve("devkek.password"), "escrow-test-password");
            kekFile = dir.resolve("dev-kek.p12");
            kek = LocalDevKek.create(kekFile, "escrow-test-password".toCharArray(), "escrowtest",
                    WrapAlgorithm.RSA_OAEP_256);
            config = writeConfig(dir.resolve("dynamicshare.properties"), kek.keyName(), extra);
        }

        static Path writeConfig(Path file, String kek, Properties extra) throws IOException {
            Properties p = new Properties();
            if (kek != null) {
                p.setProperty("kek", kek);
            }
            p.setProperty("devkek.file", "dev-kek.p12");
            p.setProperty("devkek.passwordFile", "devkek.password");
            p.putAll(extra);
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "escrow test configuration");
            }
            return file;
        }

        DynamicShareProvider provider() throws Exception {
            return new DynamicShareProvider(StoreContext.of(StoreConfig.load(config)).withAudit(events::add));
        }

        DynamicShareKeyStore newStore() throws Exception {
            DynamicShareKeyStore ks = provider().newKeyStore();
            ks.load(null, null);
            return ks;
        }

        DynamicShareKeyStore open(Path file) throws Exception {
            DynamicShareKeyStore ks = provider().newKeyStore();
            ks.load(FileStoreParameter.of(file));
            return ks;
        }
    }

    /** The synthetic wallets of the shared fixtures: folder and alias. */
    record Wallet(String dir, String alias) {
        byte[] metadata() {
            return read(dir + "/wallet-metadata.json");
        }

        byte[] shares() {
            return read(dir + "/server-key-shares.json");
        }

        java.security.KeyStore.SecretKeyEntry entry() {
            return io.dynamicshare.entry.WalletEntry.of(shares(), metadata());
        }

        private static byte[] read(String path) {
            try (var in = EscrowFixture.class.getResourceAsStream("/fixtures/" + path)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static final List<Wallet> WALLETS = List.of(
            new Wallet("evm-2of2", "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A"),
            new Wallet("evm-2of3", "0xAcC93AE6A862804744Aa2f146F8e45CAb0a7655b"),
            new Wallet("btc-taproot-2of2", "bc1ptpf8k89ufdyqzrq7x6a3n8sjtju7mujp7yvp65zphn7887w8axaqute285"),
            new Wallet("svm-2of2", "8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjsa5iiGNBJ"));

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }
}
