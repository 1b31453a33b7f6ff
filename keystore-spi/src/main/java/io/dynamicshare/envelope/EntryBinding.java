package io.dynamicshare.envelope;

import java.util.Arrays;
import java.util.Objects;

/**
 * What an entry's ciphertext is bound to (the CMS authenticated attributes): its alias, its
 * walletMetadata, the store it belongs to, the format version and its creation time. Change any of them
 * and the entry no longer opens.
 */
public final class EntryBinding {
    /** The entry format this code writes. */
    public static final int FORMAT_VERSION = 1;

    private final String alias;
    private final byte[] metadataJson;
    private final byte[] storeId;
    private final int formatVersion;
    private final long creationTime;
    private final boolean identityOnlyAllowed;

    public EntryBinding(String alias, byte[] metadataJson, byte[] storeId, long creationTime,
                        boolean identityOnlyAllowed) {
        this(alias, metadataJson, storeId, FORMAT_VERSION, creationTime, identityOnlyAllowed);
    }

    EntryBinding(String alias, byte[] metadataJson, byte[] storeId, int formatVersion, long creationTime,
                 boolean identityOnlyAllowed) {
        this.alias = Objects.requireNonNull(alias, "alias");
        this.metadataJson = Objects.requireNonNull(metadataJson, "metadataJson").clone();
        this.storeId = Objects.requireNonNull(storeId, "storeId").clone();
        this.formatVersion = formatVersion;
        this.creationTime = creationTime;
        this.identityOnlyAllowed = identityOnlyAllowed;
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

    byte[] metadataNoCopy() {
        return metadataJson;
    }

    byte[] storeIdNoCopy() {
        return storeId;
    }
}
