package io.dynamicshare.store.file;

import io.dynamicshare.store.EntryRecord;

import io.dynamicshare.storekey.StoreKey;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything a load replaces at once. The entries map is read without a lock; every other field is changed
 * only under the store's write lock.
 */
final class FileState {
    final byte[] storeId;
    /** The container format the store was read in: 0 for a new store, 1 or 2 for a file. */
    final int formatRead;
    final ConcurrentHashMap<String, EntryRecord> entries = new ConcurrentHashMap<>();
    /** The generation of the file last read or written (0 for a new or format-1 store). */
    volatile long generation;
    /** The store key epoch entries are sealed under now. */
    volatile long epoch;
    /** Null until a new or format-1 store is first written: creating a store needs no key service. */
    StoreKey storeKey;
    StoreKeyBlock storeKeyBlock;
    long nextOrder;
    /**
     * True once anything that a store writes changed since the last load or store: only then does a store write
     * the next generation, so storing an unchanged store (twice, or to a backup) writes the same bytes.
     */
    boolean changed;
    /** The MAC of the file this state was loaded from; null for a new store. */
    byte[] loadedTag;
    /** The MAC of the file last stored to each path: what that file must still be before the next store there. */
    final java.util.Map<java.nio.file.Path, byte[]> storedTags = new java.util.HashMap<>();

    /** What the file at {@code path} must be for a store there to lose no other writer's work. */
    byte[] expectedTag(java.nio.file.Path path) {
        byte[] t = storedTags.get(path);
        return t != null ? t : loadedTag;
    }

    FileState(byte[] storeId, int formatRead) {
        this.storeId = storeId;
        this.formatRead = formatRead;
    }

    /** Entries in file order. */
    List<EntryRecord> ordered() {
        List<EntryRecord> records = new ArrayList<>(entries.values());
        Collections.sort(records, Comparator.comparingLong(r -> r.order));
        return records;
    }

    int countBehind() {
        int n = 0;
        for (EntryRecord r : entries.values()) {
            if (r.behind(epoch)) {
                n++;
            }
        }
        return n;
    }

    /** Zeroes the store key; the state is not used after this. */
    void destroyKeys() {
        if (storeKey != null) {
            storeKey.destroy();
        }
    }
}
