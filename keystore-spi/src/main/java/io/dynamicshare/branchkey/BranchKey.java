package io.dynamicshare.branchkey;

import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.storekey.AnchoredKey;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One unwrapped version of a store's branch key (hierarchical mode, docs/FORMAT.md "Branch recipient"). It wraps
 * data keys locally, each under its own wrapping key
 * <pre>
 * K_wrap = HKDF-SHA256(IKM = branchKey_v, salt = 16 random bytes per entry write,
 *                      info = "DynamicShareKeyStore/3 branch wrap" || storeId (16) || u32(v) || alias (UTF-8))
 * </pre>
 * with AES-256 key wrap (RFC 3394, JCA {@code AESWrap}; {@link KeyWrapCiphers}). A wrap moved to another alias,
 * store or version derives another wrapping key and fails RFC 3394's integrity check; the entry's key commitment
 * then checks the unwrapped key anyway. No vault call: the branch key was unwrapped once
 * ({@link BranchKeyCache}).
 *
 * <pre>{@code
 * BranchRecipient r = branchKey.wrap(dataKey, "0xA9bb...");      // 0 vault calls
 * byte[] again = branchKey.unwrap(r, "0xA9bb...");                // 32 bytes, the caller zeroes them
 * }</pre>
 */
public final class BranchKey {
    static final byte[] WRAP_INFO = "DynamicShareKeyStore/3 branch wrap".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Versions go into the wrapping key's info as a u32. */
    static final long MAX_VERSION = 0xFFFFFFFFL;

    private final AnchoredKey key;

    /** Takes ownership of {@code key}, a {@link io.dynamicshare.storekey.KeyPurpose#BRANCH_KEY} key. */
    BranchKey(AnchoredKey key) {
        if (key.number() < 1 || key.number() > MAX_VERSION) {
            throw new IllegalArgumentException("a branch key version is 1 to " + MAX_VERSION + ", got " + key.number());
        }
        this.key = key;
    }

    /** The version. */
    public long version() {
        return key.number();
    }

    /** A copy of the 32-byte commitment to this version's key. */
    byte[] commitment() {
        return key.commitment();
    }

    /**
     * Wraps a data key for {@code alias} under a fresh salt.
     *
     * @param dataKey 32 bytes; not modified or retained
     * @throws IllegalStateException if this key was destroyed
     */
    public BranchRecipient wrap(byte[] dataKey, String alias) throws GeneralSecurityException {
        byte[] salt = new byte[BranchRecipient.SALT_LENGTH];
        RANDOM.nextBytes(salt);
        byte[] k = wrappingKey(salt, alias);
        try {
            return new BranchRecipient(version(), salt, KeyWrapCiphers.aesKeyWrap(new SecretKeySpec(k, "AES"), dataKey));
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * Unwraps an entry's data key.
     *
     * @return 32 bytes; the caller zeroes them
     * @throws GeneralSecurityException if the recipient was not wrapped under this version for this alias and store
     * @throws IllegalStateException if this key was destroyed
     */
    public byte[] unwrap(BranchRecipient r, String alias) throws GeneralSecurityException {
        if (r.version() != version()) {
            throw new IllegalArgumentException("the recipient names branch key version " + r.version() + ", not "
                    + version());
        }
        byte[] k = wrappingKey(r.salt(), alias);
        try {
            return KeyWrapCiphers.aesKeyUnwrap(new SecretKeySpec(k, "AES"), r.encryptedKey());
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException("the data key's branch recipient does not unwrap under "
                    + BranchRecipient.label(version()) + " for this alias and store: it was altered, or moved from "
                    + "another alias, store or version");
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    private byte[] wrappingKey(byte[] salt, String alias) {
        byte[] storeId = key.storeId();
        byte[] a = alias.getBytes(StandardCharsets.UTF_8);
        byte[] info = Arrays.copyOf(WRAP_INFO, WRAP_INFO.length + storeId.length + 4 + a.length);
        int at = WRAP_INFO.length;
        System.arraycopy(storeId, 0, info, at, storeId.length);
        at += storeId.length;
        long v = version();
        info[at] = (byte) (v >>> 24);
        info[at + 1] = (byte) (v >>> 16);
        info[at + 2] = (byte) (v >>> 8);
        info[at + 3] = (byte) v;
        System.arraycopy(a, 0, info, at + 4, a.length);
        return key.hkdf32(salt, info);
    }

    /** The anchored key itself, to anchor it again under another KEK version. */
    AnchoredKey anchored() {
        return key;
    }

    /** Zeroes the key. */
    void destroy() {
        key.destroy();
    }

    boolean isDestroyed() {
        return key.isDestroyed();
    }

    @Override
    public String toString() {
        return "BranchKey{" + BranchRecipient.label(version()) + (key.isDestroyed() ? ", destroyed" : "") + "}";
    }
}
