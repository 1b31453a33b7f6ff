package io.dynamicshare.envelope;

import io.dynamicshare.kek.KeyWrapCiphers;

import javax.crypto.SecretKey;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A per-entry AES-256 data key. {@link #destroy()} zeroes it; a destroyed key refuses to be used.
 *
 * <pre>{@code
 * DataKey dek = DataKey.generate();
 * try { ... } finally { dek.destroy(); }
 * }</pre>
 */
public final class DataKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private volatile boolean destroyed;

    private DataKey(byte[] key) {
        KeyWrapCiphers.checkDataKey(key);
        this.key = key;
    }

    /** A fresh random key. */
    public static DataKey generate() {
        byte[] k = new byte[KeyWrapCiphers.DATA_KEY_LENGTH];
        RANDOM.nextBytes(k);
        return new DataKey(k);
    }

    /** Takes ownership of {@code key} (no copy): the array is zeroed when this key is destroyed. */
    public static DataKey adopt(byte[] key) {
        return new DataKey(key);
    }

    @Override
    public String getAlgorithm() {
        return "AES";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /** A copy of the key bytes; the caller zeroes it. */
    @Override
    public byte[] getEncoded() {
        byte[] copy = key.clone();
        // Checked after the copy: a key destroyed during the copy is reported, never used half-zeroed.
        if (destroyed) {
            Arrays.fill(copy, (byte) 0);
            throw new IllegalStateException("data key was destroyed");
        }
        return copy;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** True when every byte is zero: lets tests prove that destroy() wiped the key. */
    boolean isZeroed() {
        for (byte b : key) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "DataKey{AES-256" + (destroyed ? ", destroyed" : "") + "}";
    }
}
