package io.dynamicshare.store.file;

import io.dynamicshare.store.EntryRecord;

import io.dynamicshare.storekey.StoreKey;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.util.List;

/**
 * A whole store as the container holds it: format, identity, generation, the store key (clear and as its
 * block) and the entries in file order. A format-1 file has no store key: the next store makes one.
 */
final class StoreImage {
    final int formatVersion;
    final byte[] storeId;
    final long generation;
    /** Null for a format-1 file. */
    final StoreKey storeKey;
    /** Null for a format-1 file. */
    final StoreKeyBlock storeKeyBlock;
    final List<EntryRecord> entries;
    /** The file's last 32 bytes (its MAC): what the file was, for {@link StoreFileLock#requireTag}. */
    final byte[] fileTag;

    StoreImage(int formatVersion, byte[] storeId, long generation, StoreKey storeKey, StoreKeyBlock storeKeyBlock,
               List<EntryRecord> entries, byte[] fileTag) {
        this.formatVersion = formatVersion;
        this.storeId = storeId;
        this.generation = generation;
        this.storeKey = storeKey;
        this.storeKeyBlock = storeKeyBlock;
        this.entries = entries;
        this.fileTag = fileTag;
    }
}
