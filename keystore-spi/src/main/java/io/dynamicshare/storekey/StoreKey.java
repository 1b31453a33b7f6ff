package io.dynamicshare.storekey;

import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.KeyCommitment;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
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
    static final String PURPOSE = KeyPurpose.STORE_KEY.label();
    private static final byte[] ENTRY_TAG_INFO = "DynamicShareKeyStore/2 entry tag".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FILE_MAC_INFO = "DynamicShareKeyStore/2 file MAC".getBytes(StandardCharsets.US_ASCII);

    private final AnchoredKey key;
    private final DataKey entryTagKey;
    private final DataKey fileMacKey;

    /** Takes ownership of {@code key}, a {@link KeyPurpose#STORE_KEY} key. */
    StoreKey(AnchoredKey key) {
        this.key = key;
        byte[] storeId = key.storeId();
        this.entryTagKey = DataKey.adopt(key.hkdf32(storeId, info(ENTRY_TAG_INFO, key.number())));
        this.fileMacKey = DataKey.adopt(key.hkdf32(storeId, info(FILE_MAC_INFO, key.number())));
    }

    /** A fresh random store key. */
    public static StoreKey generate(byte[] storeId, long epoch) {
        return new StoreKey(AnchoredKey.generate(KeyPurpose.STORE_KEY, storeId, epoch));
    }

    /**
     * The store key from an unwrapped 64-byte block, after checking its purpose tag. Zeroes {@code block}.
     *
     * @throws StoreKeyException if the block is not this store's key for this epoch
     */
    static StoreKey fromBlock(byte[] block, byte[] storeId, long epoch) throws StoreKeyException {
        return new StoreKey(AnchoredKey.fromBlock(KeyPurpose.STORE_KEY, block, storeId, epoch));
    }

    /** The anchored key itself (for {@link StoreKeyAnchor}). */
    AnchoredKey anchored() {
        return key;
    }

    /** The 64 bytes to wrap: key and purpose tag. The caller zeroes them. */
    byte[] toBlock() {
        return key.toBlock();
    }

    static byte[] purposeTag(byte[] storeId, long epoch) {
        return KeyPurpose.STORE_KEY.purposeTag(storeId, epoch);
    }

    /**
     * HKDF-SHA256 (RFC 5869) for one 32-byte output: PRK = HMAC(salt, key), OKM = HMAC(PRK, info || 0x01). Written
     * out with the JDK's HMAC because the JDK's own KDF API is JDK 25+ and this code runs on Java 8; RFC 5869's
     * test case 1 checks it (StoreKeyTest).
     */
    static byte[] derive(byte[] key, byte[] salt, byte[] label, long epoch) {
        return hkdf32(key, salt, info(label, epoch));
    }

    private static byte[] info(byte[] label, long epoch) {
        byte[] info = Arrays.copyOf(label, label.length + 8);
        System.arraycopy(longBytes(epoch), 0, info, label.length, 8);
        return info;
    }

    /**
     * The first 32 bytes of HKDF-SHA256(ikm, salt, info) (RFC 5869), a new array the caller zeroes.
     *
     * <pre>{@code
     * byte[] okm = StoreKey.hkdf32(ikm, salt, "label".getBytes(StandardCharsets.US_ASCII));
     * }</pre>
     */
    public static byte[] hkdf32(byte[] ikm, byte[] salt, byte[] info) {
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
        return key.number();
    }

    /** A copy of the store id this key belongs to. */
    public byte[] storeId() {
        return key.storeId();
    }

    /** A copy of the 32-byte commitment to this key. */
    public byte[] commitment() {
        return key.commitment();
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
        return "StoreKey{epoch " + key.number() + (key.isDestroyed() ? ", destroyed" : "") + "}";
    }
}
