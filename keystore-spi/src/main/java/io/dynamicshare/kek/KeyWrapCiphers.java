package io.dynamicshare.kek;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;

/**
 * The two local key-wrap primitives, done with the JDK's providers. Shared by every KEK that can wrap
 * locally (the development KEK, and Key Vault RSA keys whose public half is cached).
 */
public final class KeyWrapCiphers {
    /** SHA-256 for both the OAEP hash and MGF1: the JDK's "OAEPWithSHA-256" name alone would use MGF1-SHA-1. */
    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    /** Data keys are AES-256. */
    public static final int DATA_KEY_LENGTH = 32;
    /** A store key block: the 32-byte store key and its 32-byte purpose tag (docs/FORMAT.md). */
    public static final int STORE_KEY_BLOCK_LENGTH = 64;

    private static final ThreadLocal<Cipher> RSA_OAEP_WRAP = new ThreadLocal<>();

    private KeyWrapCiphers() {
    }

    /**
     * RSAES-OAEP-SHA-256 encryption of a data key (Key Vault's RSA-OAEP-256), the public-key half of every
     * {@code setEntry}. The {@code Cipher} is kept per thread: looking one up costs about 2 µs of a 27 µs wrap.
     * Between calls it holds only the public key; SunJCE zeroes its input buffer after {@code doFinal}
     * (KeyWrapCiphersTest checks that on the JDK under test). Unwrap, which uses a private key, gets a fresh one.
     */
    public static byte[] rsaOaepWrap(PublicKey kek, byte[] dataKey) throws GeneralSecurityException {
        checkWrappable(dataKey);
        Cipher c = RSA_OAEP_WRAP.get();
        if (c == null) {
            c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            RSA_OAEP_WRAP.set(c);
        }
        c.init(Cipher.ENCRYPT_MODE, kek, OAEP_SHA256);
        return c.doFinal(dataKey);
    }

    /** This thread's wrap cipher, or null before its first wrap; for tests. */
    static Cipher rsaOaepWrapCipherOfThisThread() {
        return RSA_OAEP_WRAP.get();
    }

    /** Inverse of {@link #rsaOaepWrap}; the caller zeroes the result. */
    public static byte[] rsaOaepUnwrap(PrivateKey kek, byte[] wrapped) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.DECRYPT_MODE, kek, OAEP_SHA256);
        return checkUnwrapped(c.doFinal(wrapped));
    }

    /** RFC 3394 AES key wrap. WRAP_MODE because Java 8's AESWrap has no ENCRYPT_MODE. */
    public static byte[] aesKeyWrap(Key kek, byte[] dataKey) throws GeneralSecurityException {
        checkWrappable(dataKey);
        Cipher c = Cipher.getInstance("AESWrap");
        c.init(Cipher.WRAP_MODE, kek);
        return c.wrap(new SecretKeySpec(dataKey, "AES"));
    }

    /** Inverse of {@link #aesKeyWrap}; the caller zeroes the result. */
    public static byte[] aesKeyUnwrap(Key kek, byte[] wrapped) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AESWrap");
        c.init(Cipher.UNWRAP_MODE, kek);
        return checkUnwrapped(c.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded());
    }

    /** Zeroes and refuses an unwrapped value of a length this format never wraps. */
    public static byte[] checkUnwrapped(byte[] key) throws GeneralSecurityException {
        if (key == null || (key.length != DATA_KEY_LENGTH && key.length != STORE_KEY_BLOCK_LENGTH)) {
            if (key != null) {
                java.util.Arrays.fill(key, (byte) 0);
            }
            throw new GeneralSecurityException("the unwrapped key has the wrong length");
        }
        return key;
    }

    /** Rejects anything but a 32-byte data key or a 64-byte store key block. */
    public static void checkWrappable(byte[] key) {
        if (key == null || (key.length != DATA_KEY_LENGTH && key.length != STORE_KEY_BLOCK_LENGTH)) {
            throw new IllegalArgumentException("a wrapped key must be " + DATA_KEY_LENGTH + " or "
                    + STORE_KEY_BLOCK_LENGTH + " bytes, got " + (key == null ? "null" : key.length + " bytes"));
        }
    }

    /** Rejects anything but a 32-byte data key. */
    public static void checkDataKey(byte[] dataKey) {
        if (dataKey == null || dataKey.length != DATA_KEY_LENGTH) {
            throw new IllegalArgumentException("a data key must be " + DATA_KEY_LENGTH + " bytes, got "
                    + (dataKey == null ? "null" : dataKey.length + " bytes"));
        }
    }
}
