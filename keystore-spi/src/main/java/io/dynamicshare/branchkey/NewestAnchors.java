package io.dynamicshare.branchkey;

import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which branch key versions a writer may wrap under: those whose block is made (wrapped and, for an RSA KEK, signed)
 * solely by the newest version of the write KEK (docs/SECURITY.md section 9). A version anchored by an older KEK
 * version may have been planted by A2, who holds that version. A block found so is remembered for the branch key
 * cache period, keyed by KEK, store id, version and commitment, so a steady-state {@code setEntry} asks the key
 * service for its newest version ({@link Kek#newestVersion}: one Azure {@code getKey}) once per period, not per
 * write; writers therefore see a KEK rotation within that period. Thread-safe.
 *
 * <pre>{@code
 * if (!anchors.madeByNewest(active, storeId, writeKek)) { ring.rotate(store, writeKek); }
 * }</pre>
 */
final class NewestAnchors {
    /** Most decisions remembered; all are forgotten when reached. */
    private static final int MAX = 4096;

    private final BranchKeyCache cache;
    private final Map<String, Long> until = new ConcurrentHashMap<>();

    NewestAnchors(BranchKeyCache cache) {
        this.cache = cache;
    }

    /**
     * Whether {@code block} is made solely by the newest version of {@code kek}; says nothing about whether the
     * block is genuine (opening it checks that).
     *
     * @throws KekException if the key service cannot name its newest version
     */
    boolean madeByNewest(StoreKeyBlock block, byte[] storeId, Kek kek) throws KekException {
        String id = id(block, storeId, kek);
        Long t = until.get(id);
        if (t != null && cache.now() - t < 0) {
            return true;
        }
        if (!block.madeBy(kek.newestVersion())) {
            return false;
        }
        remember(id);
        return true;
    }

    /** Remembers a block this writer just made with {@code kek}'s newest version (or checked against it). */
    void remember(StoreKeyBlock block, byte[] storeId, Kek kek) {
        remember(id(block, storeId, kek));
    }

    private void remember(String id) {
        if (until.size() >= MAX) {
            until.clear();
        }
        until.put(id, cache.now() + cache.ttlNanos());
    }

    private static String id(StoreKeyBlock block, byte[] storeId, Kek kek) {
        return kek.keyName() + "|" + BranchKeyCache.id(storeId, block);
    }
}
