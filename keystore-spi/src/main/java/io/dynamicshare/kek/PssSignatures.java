package io.dynamicshare.kek;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8017 section 8.1): what Key Vault calls
 * {@code PS256}. The JDK's {@code RSASSA-PSS} signature (JDK 11+, and Java 8u272+ where TLS 1.3 brought it).
 */
public final class PssSignatures {
    /** Key Vault's PS256: MGF1 with the same hash, the salt as long as the hash, trailer field 1. */
    private static final PSSParameterSpec PS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    private PssSignatures() {
    }

    /** Verifies a PS256 signature over {@code message} with a local public key. */
    public static boolean verify(RSAPublicKey key, byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(PS256);
        s.initVerify(key);
        s.update(message);
        try {
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false; // a signature of the wrong length or shape is simply not valid
        }
    }

    /** Signs {@code message} with a local private key (the development KEK). */
    public static byte[] sign(PrivateKey key, byte[] message) throws GeneralSecurityException {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(PS256);
        s.initSign(key);
        s.update(message);
        return s.sign();
    }

    /** SHA-256 of {@code message}: what a key service that signs digests (Key Vault {@code sign}) is given. */
    public static byte[] sha256(byte[] message) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JCA algorithm", e);
        }
    }
}
