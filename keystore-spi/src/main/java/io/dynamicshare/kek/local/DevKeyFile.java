package io.dynamicshare.kek.local;

import io.dynamicshare.kek.WrapAlgorithm;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.crypto.KeyGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * The password-protected PKCS12 file behind a {@link LocalDevKek}: one key name, versions {@code v1},
 * {@code v2}, ... stored under the aliases {@code <name>/v<n>}.
 */
final class DevKeyFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private DevKeyFile() {
    }

    static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        return ks;
    }

    /** Adds version {@code v<n>} of {@code name} with a fresh key of the given algorithm. */
    static void addVersion(KeyStore ks, String name, int n, WrapAlgorithm algorithm, char[] password)
            throws GeneralSecurityException {
        String alias = name + "/v" + n;
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
        if (algorithm == WrapAlgorithm.AES_KW_256) {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256, RANDOM);
            ks.setEntry(alias, new KeyStore.SecretKeyEntry(g.generateKey()), protection);
        } else {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(3072, RANDOM);
            KeyPair pair = g.generateKeyPair();
            ks.setEntry(alias, new KeyStore.PrivateKeyEntry(pair.getPrivate(),
                    new Certificate[] {selfSigned(pair, alias)}), protection);
        }
    }

    /** Writes atomically so an interrupted write never leaves a half-written key file. */
    static void save(KeyStore ks, Path file, char[] password) throws IOException, GeneralSecurityException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ks.store(out, password);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static X509Certificate selfSigned(KeyPair pair, String alias) throws GeneralSecurityException {
        // PKCS12 keeps a private key only with a certificate; this one carries no trust, just the public key.
        X500Name subject = new X500Name("CN=DynamicShare development KEK " + alias.replace(',', '_'));
        Date now = new Date();
        Date until = new Date(now.getTime() + 10L * 365 * 24 * 3600 * 1000);
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, RANDOM), now, until, subject, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot self-sign the development KEK certificate", e);
        }
    }
}
