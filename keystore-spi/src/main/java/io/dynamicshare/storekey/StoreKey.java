package io.dynamicshare.storekey;

import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.KeyCommitment;
import io.dynamicshare.kek.PssSignatures;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A store's 256-bit store key for one key epoch, and the keys derived from it (HKDF-SHA256, RFC 5869, salt =
 * store id, info = purpose label and epoch): the entry tag key and the file MAC key. The store key itself
 * is never used directly; only its commitment ({@link KeyCommitment#STORE_KEY}) is written.
 *
 * <p>What is wrapped for a KEK is the store key followed by its 32-byte purpose tag,
 * {@code SHA-256("DynamicShareKeyStore/2 store key" || storeId || epoch)}: 64 bytes, where a data key is 32,
 * so a wrapped data key can never pass for a store key, nor one store's key (or epoch) for another's.
 *
 * <pre>{@code
 * StoreKey k = StoreKey.generate(storeId, 1);
 * byte[] tag = k.entryTag("0xA9bb...", entryDer);   // 32 bytes, written beside the entry
 * k.destroy();
 * }</pre>
 */
public final class StoreKey {
    /** Store key length in bytes. */
    public static final int LENGTH = 32;
    /** Entry tag and file MAC length in bytes (HMAC-SHA256). */
    public static final int TAG_LENGTH = 32;
    static final String PURPOSE = "DynamicShareKeyStore/2 store key";
    private static final byte[] ENTRY_TAG_INFO = "DynamicShareKeyStore/2 entry tag".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FILE_MAC_INFO = "DynamicShareKeyStore/2 file MAC".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] storeId;
    private final long epoch;
    private final DataKey key;
    private final byte[] commitment;
    private final DataKey entryTagKey;
    private final DataKey fileMacKey;

    /** Takes ownership of {@code key} (32 bytes). */
    private StoreKey(byte[] storeId, long epoch, byte[] key) {
        this.storeId = storeId.clone();
        this.epoch = epoch;
        this.key = DataKey.adopt(key);
        this.commitment = KeyCommitment.of(key, KeyCommitment.STORE_KEY);
        this.entryTagKey = DataKey.adopt(derive(key, this.storeId, ENTRY_TAG_INFO, epoch));
        this.fileMacKey = DataKey.adopt(derive(key, this.storeId, FILE_MAC_INFO, epoch));
    }

    /** A fresh random store key. */
    public static StoreKey generate(byte[] storeId, long epoch) {
        byte[] k = new byte[LENGTH];
        RANDOM.nextBytes(k);
        return new StoreKey(storeId, epoch, k);
    }

    /**
     * The store key from an unwrapped 64-byte block, after checking its purpose tag. Zeroes {@code block}.
     *
     * @throws StoreKeyException if the block is not this store's key for this epoch
     */
    static StoreKey fromBlock(byte[] block, byte[] storeId, long epoch) throws StoreKeyException {
        try {
            if (block.length != LENGTH * 2) {
                throw new StoreKeyException("the unwrapped store key is " + block.length + " bytes, not " + LENGTH * 2
                        + ": a data key or other key was put in the store key's place");
            }
            if (!MessageDigest.isEqual(Arrays.copyOfRange(block, LENGTH, LENGTH * 2), purposeTag(storeId, epoch))) {
                throw new StoreKeyException("the unwrapped store key was wrapped for another purpose, store or epoch");
            }
            return new StoreKey(storeId, epoch, Arrays.copyOf(block, LENGTH));
        } finally {
            Arrays.fill(block, (byte) 0);
        }
    }

    /** The 64 bytes to wrap: key and purpose tag. The caller zeroes them. */
    byte[] toBlock() {
        byte[] k = key.getEncoded();
        byte[] block = Arrays.copyOf(k, LENGTH * 2);
        Arrays.fill(k, (byte) 0);
        System.arraycopy(purposeTag(storeId, epoch), 0, block, LENGTH, LENGTH);
        return block;
    }

    static byte[] purposeTag(byte[] storeId, long epoch) {
        byte[] p = PURPOSE.getBytes(StandardCharsets.US_ASCII);
        byte[] input = Arrays.copyOf(p, p.length + storeId.length + 8);
        System.arraycopy(storeId, 0, input, p.length, storeId.length);
        System.arraycopy(longBytes(epoch), 0, input, p.length + storeId.length, 8);
        return PssSignatures.sha256(input);
    }

    /**
     * HKDF-SHA256 (RFC 5869) for one 32-byte output: PRK = HMAC(salt, key), OKM = HMAC(PRK, info || 0x01). Written
     * out with the JDK's HMAC because the JDK's own KDF API is JDK 25+ and this code runs on Java 8; RFC 5869's
     * test case 1 checks it (StoreKeyTest).
     */
    static byte[] derive(byte[] key, byte[] salt, byte[] label, long epoch) {
        byte[] info = Arrays.copyOf(label, label.length + 8);
        System.arraycopy(longBytes(epoch), 0, info, label.length, 8);
        return hkdf32(key, salt, info);
    }

    /** The first 32 bytes of HKDF-SHA256(ikm, salt, info). */
    static byte[] hkdf32(byte[] ikm, byte[] salt, byte[] info) {
        byte[] prk = hmac(salt, ikm);
        try {
            byte[] t1 = Arrays.copyOf(info, info.length + 1);
            t1[info.length] = 1;
            return hmac(prk, t1);
        } finally {
            Arrays.fill(prk, (byte) 0);
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a mandatory JCA algorithm", e);
        }
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    public long epoch() {
        return epoch;
    }

    /** A copy of the store id this key belongs to. */
    public byte[] storeId() {
        return storeId.clone();
    }

    /** A copy of the 32-byte commitment to this key. */
    public byte[] commitment() {
        return commitment.clone();
    }

    /**
     * The entry tag: HMAC-SHA256 under the entry tag key over {@code u16 length || alias (UTF-8) || u32 length ||
     * entry DER}. Authenticates one entry under one alias in this store, on its own (a database row needs no
     * neighbours to be checked).
     */
    public byte[] entryTag(String alias, byte[] entryDer) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(entryTagKey);
            byte[] a = alias.getBytes(StandardCharsets.UTF_8);
            mac.update((byte) (a.length >>> 8));
            mac.update((byte) a.length);
            mac.update(a);
            mac.update(intBytes(entryDer.length));
            mac.update(entryDer);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a mandatory JCA algorithm", e);
        }
    }

    /** A fresh HMAC-SHA256 under the file MAC key. */
    public Mac fileMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(fileMacKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a mandatory JCA algorithm", e);
        }
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Zeroes the store key and every key derived from it. */
    public void destroy() {
        key.destroy();
        entryTagKey.destroy();
        fileMacKey.destroy();
    }

    @Override
    public String toString() {
        return "StoreKey{epoch " + epoch + (key.isDestroyed() ? ", destroyed" : "") + "}";
    }
}
