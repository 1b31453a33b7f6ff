package io.dynamicshare.kek;

import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;

/**
 * RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8017 section 8.1): what Key Vault calls
 * {@code PS256}. BouncyCastle's lightweight signer, because the JDK's {@code RSASSA-PSS} signature is missing
 * on older Java 8 runtimes that this code still supports.
 */
public final class PssSignatures {
    /** Key Vault's PS256: the salt is as long as the hash. */
    private static final int SALT_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PssSignatures() {
    }

    /** Verifies a PS256 signature over {@code message} with a local public key. */
    public static boolean verify(RSAPublicKey key, byte[] message, byte[] signature) {
        PSSSigner s = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), SALT_LENGTH);
        s.init(false, new RSAKeyParameters(false, key.getModulus(), key.getPublicExponent()));
        s.update(message, 0, message.length);
        return s.verifySignature(signature);
    }

    /** Signs {@code message} with a local private key (the development KEK). */
    public static byte[] sign(RSAPrivateCrtKey key, byte[] message) throws GeneralSecurityException {
        PSSSigner s = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), SALT_LENGTH);
        s.init(true, new ParametersWithRandom(new RSAPrivateCrtKeyParameters(key.getModulus(),
                key.getPublicExponent(), key.getPrivateExponent(), key.getPrimeP(), key.getPrimeQ(),
                key.getPrimeExponentP(), key.getPrimeExponentQ(), key.getCrtCoefficient()), RANDOM));
        s.update(message, 0, message.length);
        try {
            return s.generateSignature();
        } catch (CryptoException e) {
            throw new GeneralSecurityException("RSASSA-PSS signing failed", e);
        }
    }

    /** SHA-256 of {@code message}: what a key service that signs digests (Key Vault {@code sign}) is given. */
    public static byte[] sha256(byte[] message) {
        SHA256Digest d = new SHA256Digest();
        d.update(message, 0, message.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }
}
