package io.dynamicshare.envelope;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import java.security.GeneralSecurityException;
import java.security.NoSuchProviderException;
import java.security.SecureRandom;

/**
 * AES-256-GCM done by the JDK's SunJCE, whose AES-NI/CLMUL intrinsics are far faster than a pure-Java
 * GCM. One Cipher per thread: creating one costs a provider lookup, and a Cipher is not thread-safe.
 */
final class AesGcm {
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final ThreadLocal<Cipher> CIPHER = new ThreadLocal<Cipher>() {
        @Override
        protected Cipher initialValue() {
            try {
                return newCipher();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM/NoPadding is not available", e);
            }
        }
    };

    private AesGcm() {
    }

    private static Cipher newCipher() throws GeneralSecurityException {
        try {
            // Asked by name: a BouncyCastle provider registered ahead of SunJCE would otherwise win.
            return Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        } catch (NoSuchProviderException e) {
            return Cipher.getInstance("AES/GCM/NoPadding");
        }
    }

    static byte[] newNonce() {
        byte[] n = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(n);
        return n;
    }

    /** Returns ciphertext followed by the 16-byte tag. */
    static byte[] encrypt(DataKey key, byte[] nonce, byte[] aad, byte[] plaintext) throws GeneralSecurityException {
        Cipher c = CIPHER.get();
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        c.updateAAD(aad);
        return c.doFinal(plaintext);
    }

    /**
     * Verifies the tag and returns the plaintext; an altered input throws AEADBadTagException.
     *
     * <p>The output array is sized here and filled by the array-to-array {@code doFinal}: the only array this
     * method allocates is the plaintext the caller keeps (SunJCE's own per-init state aside).
     */
    static byte[] decrypt(DataKey key, GCMParameterSpec nonce, byte[] aad, byte[] ciphertextAndTag)
            throws GeneralSecurityException {
        if (ciphertextAndTag.length < TAG_LENGTH) {
            throw new AEADBadTagException("ciphertext is shorter than the GCM tag");
        }
        Cipher c = CIPHER.get();
        c.init(Cipher.DECRYPT_MODE, key, nonce);
        c.updateAAD(aad);
        byte[] plaintext = new byte[ciphertextAndTag.length - TAG_LENGTH];
        int n;
        try {
            n = c.doFinal(ciphertextAndTag, 0, ciphertextAndTag.length, plaintext, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("GCM plaintext is ciphertext minus the tag", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            // Never leave unauthenticated plaintext behind, even in an array nobody else sees.
            java.util.Arrays.fill(plaintext, (byte) 0);
            throw e;
        }
        if (n != plaintext.length) {
            java.util.Arrays.fill(plaintext, (byte) 0);
            throw new IllegalStateException("GCM returned " + n + " bytes, expected " + plaintext.length);
        }
        return plaintext;
    }
}
