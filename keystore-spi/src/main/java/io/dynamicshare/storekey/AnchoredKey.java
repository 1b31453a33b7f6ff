package io.dynamicshare.storekey;

import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.KeyCommitment;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A 256-bit key anchored in the key service for one {@link KeyPurpose}, one store and one number (a store key's
 * epoch, a branch key's version): the secret, and its commitment {@code HMAC(key, purpose commitment label)}. It
 * is only ever used as HKDF input ({@link #hkdf32}); {@link #destroy} zeroes it.
 *
 * <pre>{@code
 * AnchoredKey k = AnchoredKey.generate(KeyPurpose.BRANCH_KEY, storeId, 1);
 * byte[] wrappingKey = k.hkdf32(salt, info);   // 32 bytes, the caller zeroes them
 * k.destroy();
 * }</pre>
 */
public final class AnchoredKey {
    /** Key length in bytes. */
    public static final int LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPurpose purpose;
    private final byte[] storeId;
    private final long number;
    private final DataKey key;
    private final byte[] commitment;

    /** Takes ownership of {@code key} (32 bytes). */
    AnchoredKey(KeyPurpose purpose, byte[] storeId, long number, byte[] key) {
        this.purpose = purpose;
        this.storeId = storeId.clone();
        this.number = number;
        this.key = DataKey.adopt(key);
        this.commitment = KeyCommitment.of(key, purpose.commitmentLabel());
    }

    /** A fresh random key. */
    public static AnchoredKey generate(KeyPurpose purpose, byte[] storeId, long number) {
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        return new AnchoredKey(purpose, storeId, number, k);
    }

    /**
     * The key from an unwrapped 64-byte value, after checking its purpose tag. Zeroes {@code unwrapped}.
     *
     * @throws StoreKeyException if the value is not this purpose's key for this store and number
     */
    static AnchoredKey fromBlock(KeyPurpose purpose, byte[] unwrapped, byte[] storeId, long number)
            throws StoreKeyException {
        try {
            if (unwrapped.length != LENGTH * 2) {
                throw new StoreKeyException("the unwrapped " + purpose.keyName() + " is " + unwrapped.length
                        + " bytes, not " + LENGTH * 2 + ": a data key or other key was put in the " + purpose.keyName()
                        + "'s place");
            }
            if (!MessageDigest.isEqual(Arrays.copyOfRange(unwrapped, LENGTH, LENGTH * 2),
                    purpose.purposeTag(storeId, number))) {
                throw new StoreKeyException("the unwrapped " + purpose.keyName() + " was wrapped for another purpose, "
                        + "store or " + purpose.numberName());
            }
            return new AnchoredKey(purpose, storeId, number, Arrays.copyOf(unwrapped, LENGTH));
        } finally {
            Arrays.fill(unwrapped, (byte) 0);
        }
    }

    /** The 64 bytes to wrap: key and purpose tag. The caller zeroes them. */
    byte[] toBlock() {
        byte[] k = key.getEncoded();
        byte[] block = Arrays.copyOf(k, LENGTH * 2);
        Arrays.fill(k, (byte) 0);
        System.arraycopy(purpose.purposeTag(storeId, number), 0, block, LENGTH, LENGTH);
        return block;
    }

    /**
     * The first 32 bytes of HKDF-SHA256 (RFC 5869) with this key as input keying material.
     *
     * @return a new array the caller zeroes
     * @throws IllegalStateException if the key was destroyed (also when that happens during the call)
     */
    public byte[] hkdf32(byte[] salt, byte[] info) {
        byte[] k = key.getEncoded();
        try {
            return StoreKey.hkdf32(k, salt, info);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    public KeyPurpose purpose() {
        return purpose;
    }

    /** The key epoch (store key) or version (branch key). */
    public long number() {
        return number;
    }

    /** A copy of the store id this key belongs to. */
    public byte[] storeId() {
        return storeId.clone();
    }

    /** A copy of the 32-byte commitment to this key. */
    public byte[] commitment() {
        return commitment.clone();
    }

    /** Zeroes the key. */
    public void destroy() {
        key.destroy();
    }

    public boolean isDestroyed() {
        return key.isDestroyed();
    }

    @Override
    public String toString() {
        return "AnchoredKey{" + purpose + " " + purpose.numberName() + " " + number
                + (key.isDestroyed() ? ", destroyed" : "") + "}";
    }
}
