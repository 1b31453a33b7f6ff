package io.dynamicshare.it;

import io.dynamicshare.audit.AuditEvent;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.StoreContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/** A development KEK, its configuration and a provider over it, in a temporary directory. */
public final class DevStores {
    public final Path dir;
    public final Path configFile;
    public final LocalDevKek kek;
    public final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    public final DynamicShareProvider provider;

    public DevStores(Path dir, WrapAlgorithm algorithm) {
        this(dir, algorithm, new Properties());
    }

    public DevStores(Path dir, WrapAlgorithm algorithm, Properties extra) {
        try {
            this.dir = Files.createDirectories(dir);
            char[] password = "test-devkek-password".toCharArray();
            Path passwordFile = dir.resolve("devkek.password");
            Files.write(passwordFile, new String(password).getBytes(StandardCharsets.UTF_8));
            kek = LocalDevKek.create(dir.resolve("dev-kek.p12"), password, "test", algorithm);
            Properties p = new Properties();
            p.setProperty("kek", kek.keyName());
            p.setProperty("devkek.file", "dev-kek.p12");
            p.setProperty("devkek.passwordFile", "devkek.password");
            p.setProperty("application", "it-tests");
            p.putAll(extra);
            configFile = dir.resolve("dynamicshare.properties");
            try (var out = Files.newOutputStream(configFile)) {
                p.store(out, "test configuration");
            }
            provider = new DynamicShareProvider(StoreContext.of(StoreConfig.load(configFile)).withAudit(events::add));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new provider over the same configuration: its own, empty data-key cache. */
    public DynamicShareProvider freshProvider() throws GeneralSecurityException {
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(configFile)).withAudit(events::add));
    }

    /** A throwaway self-signed certificate for entry types this store refuses. */
    java.security.cert.X509Certificate selfSignedCertificate(java.security.KeyPair pair) throws Exception {
        var name = new org.bouncycastle.asn1.x500.X500Name("CN=refused");
        var now = new java.util.Date();
        var holder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE, now,
                new java.util.Date(now.getTime() + 86_400_000L), name, pair.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(holder);
    }

    public KeyStore newStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(DynamicShareProvider.KEYSTORE_TYPE, provider);
        ks.load(null, null);
        return ks;
    }

    public KeyStore open(byte[] file) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(DynamicShareProvider.KEYSTORE_TYPE, provider);
        ks.load(new java.io.ByteArrayInputStream(file), null);
        return ks;
    }

    public static byte[] bytes(KeyStore ks) throws GeneralSecurityException, IOException {
        var out = new java.io.ByteArrayOutputStream();
        ks.store(out, null);
        return out.toByteArray();
    }
}
