package io.dynamicshare.envelope;

import java.util.Arrays;
import java.util.Objects;

/**
 * What an entry's ciphertext is bound to (the CMS authenticated attributes): its alias, its
 * walletMetadata, the store it belongs to, the format version, its creation time and, from format 2 on,
 * the commitment to its data key and the store key epoch it was sealed under. Change any of them and the
 * entry no longer opens.
 *
 * <p>A binding for a new entry is made without a commitment ({@link #EntryBinding(String, byte[], byte[], long,
 * boolean, long)}); {@link CmsEnvelope#seal} adds the commitment of the data key it seals with, so the two
 * cannot disagree.
 */
public final class EntryBinding {
    /** The entry format this code writes. Format 1 (no key commitment, no epoch) is still read. */
    public static final int FORMAT_VERSION = 2;

    private final String alias;
    private final byte[] metadataJson;
    private final byte[] storeId;
    private final int formatVersion;
    private final long creationTime;
    private final boolean identityOnlyAllowed;
    private final long keyEpoch;
    /** 32 bytes; null only for format 1, and for a format-2 binding that {@link CmsEnvelope#seal} has not seen. */
    private final byte[] keyCommitment;

    /** A binding for a new entry, sealed under store key epoch {@code keyEpoch}. */
    public EntryBinding(String alias, byte[] metadataJson, byte[] storeId, long creationTime,
                        boolean identityOnlyAllowed, long keyEpoch) {
        this(alias, metadataJson, storeId, FORMAT_VERSION, creationTime, identityOnlyAllowed, keyEpoch, null);
    }

    EntryBinding(String alias, byte[] metadataJson, byte[] storeId, int formatVersion, long creationTime,
                 boolean identityOnlyAllowed, long keyEpoch, byte[] keyCommitment) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.metadataJson = Objects.requireNonNull(metadataJson, "metadataJson").clone();
        this.storeId = Objects.requireNonNull(storeId, "storeId").clone();
        this.formatVersion = formatVersion;
        this.creationTime = creationTime;
        this.identityOnlyAllowed = identityOnlyAllowed;
        this.keyEpoch = keyEpoch;
        this.keyCommitment = keyCommitment;
    }

    /** The same binding, committed to a data key. */
    EntryBinding withCommitment(byte[] commitment) {
        return new EntryBinding(alias, metadataJson, storeId, formatVersion, creationTime, identityOnlyAllowed,
                keyEpoch, commitment);
    }

    public String alias() {
        return alias;
    }

    /** A copy of the exact walletMetadata JSON bytes. */
    public byte[] metadataJson() {
        return metadataJson.clone();
    }

    public byte[] storeId() {
        return storeId.clone();
    }

    public boolean belongsTo(byte[] otherStoreId) {
        return Arrays.equals(storeId, otherStoreId);
    }

    public int formatVersion() {
        return formatVersion;
    }

    public long creationTime() {
        return creationTime;
    }

    public boolean identityOnlyAllowed() {
        return identityOnlyAllowed;
    }

    /** The store key epoch the entry was sealed under; 0 for format 1. */
    public long keyEpoch() {
        return keyEpoch;
    }

    /** True from format 2 on: every recipient must unwrap to the committed key. */
    public boolean isKeyCommitting() {
        return keyCommitment != null;
    }

    byte[] keyCommitmentNoCopy() {
        return keyCommitment;
    }

    byte[] metadataNoCopy() {
        return metadataJson;
    }

    byte[] storeIdNoCopy() {
        return storeId;
    }
}
