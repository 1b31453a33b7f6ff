package io.dynamicshare.entry;

import javax.crypto.SecretKey;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A wallet's {@code externalServerKeyShares}: the JSON array exactly as the SDK returned it, held as the
 * key of a {@link java.security.KeyStore.SecretKeyEntry}. {@link #destroy()} zeroes it; call it as soon
 * as the shares have been handed to the SDK.
 *
 * <pre>{@code
 * KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(alias, protection);
 * WalletShareKey shares = (WalletShareKey) e.getSecretKey();
 * try {
 *     byte[] json = shares.getEncoded();     // a copy: zero it too
 *     ...
 * } finally {
 *     shares.destroy();
 * }
 * }</pre>
 *
 * <p>It cannot be serialized: Java serialization would write the shares in plaintext.
 */
public final class WalletShareKey implements SecretKey {
    private static final long serialVersionUID = 1L;

    /** The algorithm name this key reports. */
    public static final String ALGORITHM = "DynamicShare-ServerKeyShares";

    private final byte[] shares;
    private volatile boolean destroyed;

    private WalletShareKey(byte[] shares) {
        if (shares == null || shares.length == 0) {
            throw new IllegalArgumentException("externalServerKeyShares are empty");
        }
        this.shares = shares;
    }

    /** A key holding a copy of {@code sharesJson}. */
    public static WalletShareKey of(byte[] sharesJson) {
        return new WalletShareKey(sharesJson == null ? null : sharesJson.clone());
    }

    /**
     * A key that takes ownership of {@code sharesJson} without copying: the array is zeroed on
     * {@link #destroy()}, so the caller must not keep using it.
     */
    public static WalletShareKey adopt(byte[] sharesJson) {
        return new WalletShareKey(sharesJson);
    }

    @Override
    public String getAlgorithm() {
        return ALGORITHM;
    }

    /** RAW: the encoded form is the shares' JSON bytes themselves. */
    @Override
    public String getFormat() {
        return "RAW";
    }

    /**
     * A copy of the shares JSON; the caller zeroes it.
     *
     * @throws IllegalStateException if the key was destroyed
     */
    @Override
    public byte[] getEncoded() {
        byte[] copy = shares.clone();
        if (destroyed) {
            Arrays.fill(copy, (byte) 0);
            throw new IllegalStateException("the wallet key shares were destroyed");
        }
        return copy;
    }

    /** Length of the shares JSON in bytes. */
    public int length() {
        return shares.length;
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(shares, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Constant-time comparison of the shares. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WalletShareKey && !destroyed && !((WalletShareKey) o).destroyed
                && MessageDigest.isEqual(shares, ((WalletShareKey) o).shares);
    }

    /** Depends on the length only: a hash of secret bytes would leak a little of them. */
    @Override
    public int hashCode() {
        return shares.length;
    }

    @Override
    public String toString() {
        return "WalletShareKey{" + (destroyed ? "destroyed" : shares.length + " bytes, redacted") + "}";
    }

    private void writeObject(ObjectOutputStream out) throws NotSerializableException {
        throw new NotSerializableException("WalletShareKey is never serialized: it would write the shares in plaintext");
    }
}
