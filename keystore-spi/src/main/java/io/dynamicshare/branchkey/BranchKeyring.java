package io.dynamicshare.branchkey;

import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.storekey.AnchoredKey;
import io.dynamicshare.storekey.KeyPurpose;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Hierarchical mode for one store (the AWS Encryption SDK's hierarchical keyring, in this format): data keys are
 * wrapped locally under the store's active (highest) branch key version, and unwrapped under the version their
 * entry names. Versions come from the store ({@link BranchKeyStorage}) and are unwrapped through the shared
 * {@link BranchKeyCache}: once per instance per cache period, so a steady-state {@code setEntry} and a cold
 * {@code getEntry} of any wallet make no vault call.
 *
 * <p>Vault calls: creating a version (the first hierarchical write of a store, {@link #rotate}) is one {@code sign}
 * (RSA KEK; the wrap is local) or one {@code wrapKey} (AES KEK); {@link #reanchor} is one {@code unwrapKey} per
 * version not cached plus one {@code sign} or {@code wrapKey} per version moved.
 *
 * <pre>{@code
 * BranchKeyring ring = new BranchKeyring(keks, cache);
 * BranchRecipient r = ring.wrap(backend, writeKek, dataKey, alias);      // creates version 1 if the store has none
 * byte[] dek = ring.unwrap(backend, entryStoreId, r, alias);             // 0 vault calls once the version is cached
 * }</pre>
 */
public final class BranchKeyring {
    private final TrustedKeks keks;
    private final BranchKeyCache cache;

    public BranchKeyring(TrustedKeks keks, BranchKeyCache cache) {
        this.keks = keks;
        this.cache = cache;
    }

    /**
     * Unwraps an entry's data key with the branch key version its recipient names.
     *
     * @param entryStoreId the store id the entry is bound to
     * @return 32 bytes; the caller checks the key commitment and zeroes them
     * @throws KeyStoreException if the store holds no such version, or was replaced by a load during the read
     * @throws GeneralSecurityException if the version's block is not anchored, the vault fails, or the recipient
     *         does not unwrap (altered, or moved from another alias, store or version)
     */
    public byte[] unwrap(BranchKeyStorage store, byte[] entryStoreId, final BranchRecipient r, final String alias)
            throws GeneralSecurityException {
        byte[] storeId = store.storeId();
        if (!Arrays.equals(storeId, entryStoreId)) {
            throw new KeyStoreException("the store was replaced by a load while the entry was read: read it again");
        }
        StoreKeyBlock block = store.branchKeyBlock(r.version());
        if (block == null) {
            throw new KeyStoreException("the entry's data key is wrapped under " + r.label() + ", which the store "
                    + "does not hold (versions held: " + versions(store.branchKeyBlocks()) + ")");
        }
        return cache.use(block, storeId, keks, k -> k.unwrap(r, alias));
    }

    /**
     * Makes sure the store has an active version and that it is unwrapped: what a write calls before it takes any
     * lock, so that the wrap itself ({@link #wrap}) is local. The first write of a store creates version 1.
     *
     * @throws GeneralSecurityException if the key service fails
     */
    public void prepare(BranchKeyStorage store, Kek writeKek) throws GeneralSecurityException {
        StoreKeyBlock active = activeOrCreate(store, writeKek);
        cache.use(active, store.storeId(), keks, k -> null);
    }

    /**
     * Wraps a data key for {@code alias} under the active version (made now if the store has none).
     *
     * @param dataKey 32 bytes, not modified or retained
     */
    public BranchRecipient wrap(BranchKeyStorage store, Kek writeKek, final byte[] dataKey, final String alias)
            throws GeneralSecurityException {
        StoreKeyBlock active = activeOrCreate(store, writeKek);
        return cache.use(active, store.storeId(), keks, k -> k.wrap(dataKey, alias));
    }

    /**
     * Creates version n + 1 for new entries (older versions stay, for reading).
     *
     * @return the new version
     * @throws GeneralSecurityException if the key service fails; the store is then unchanged
     */
    public synchronized long rotate(BranchKeyStorage store, Kek writeKek) throws GeneralSecurityException {
        List<StoreKeyBlock> blocks = store.branchKeyBlocks();
        long next = blocks.isEmpty() ? 1 : blocks.get(blocks.size() - 1).epoch() + 1;
        if (next > BranchKey.MAX_VERSION) {
            throw new KeyStoreException("the store has used every branch key version (" + BranchKey.MAX_VERSION + ")");
        }
        byte[] storeId = store.storeId();
        AnchoredKey key = AnchoredKey.generate(KeyPurpose.BRANCH_KEY, storeId, next);
        StoreKeyBlock block;
        boolean added;
        try {
            block = StoreKeyAnchor.anchor(key, writeKek);
            added = store.addBranchKeyBlock(block);
        } catch (GeneralSecurityException | RuntimeException e) {
            key.destroy();
            throw e;
        }
        if (!added) {
            // Another instance made this version at the same moment; its block is the one kept, and this key,
            // never used, is dropped. The version is new all the same.
            key.destroy();
            return next;
        }
        cache.adopt(block, storeId, new BranchKey(key));
        return next;
    }

    /**
     * Anchors every version that the newest KEK version does not wrap again under it (rewrap after a KEK rotation):
     * the branch keys stay, so no entry changes.
     *
     * @return how many versions were re-anchored
     */
    public synchronized int reanchor(BranchKeyStorage store, final Kek writeKek, KekId newest)
            throws GeneralSecurityException {
        byte[] storeId = store.storeId();
        int moved = 0;
        for (StoreKeyBlock b : store.branchKeyBlocks()) {
            if (b.wrappedBy(newest)) {
                continue;
            }
            StoreKeyBlock again = cache.use(b, storeId, keks, k -> StoreKeyAnchor.anchor(k.anchored(), writeKek));
            store.replaceBranchKeyBlock(again);
            moved++;
        }
        return moved;
    }

    /**
     * Removes the versions no entry uses (after a rekey), except the active one when {@code keepActive}.
     *
     * @return the versions removed
     */
    public synchronized int removeUnused(BranchKeyStorage store, Set<Long> inUse, boolean keepActive)
            throws KeyStoreException {
        List<StoreKeyBlock> blocks = store.branchKeyBlocks();
        long active = blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).epoch();
        int removed = 0;
        for (StoreKeyBlock b : blocks) {
            if (!inUse.contains(b.epoch()) && !(keepActive && b.epoch() == active)) {
                store.removeBranchKeyBlock(b.epoch());
                removed++;
            }
        }
        return removed;
    }

    /** The active version's block, or null when the store has none. */
    public static StoreKeyBlock active(BranchKeyStorage store) throws KeyStoreException {
        List<StoreKeyBlock> blocks = store.branchKeyBlocks();
        return blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
    }

    private StoreKeyBlock activeOrCreate(BranchKeyStorage store, Kek writeKek) throws GeneralSecurityException {
        StoreKeyBlock active = active(store);
        if (active != null) {
            return active;
        }
        synchronized (this) {
            active = active(store);
            if (active == null) {
                rotate(store, writeKek);
                active = active(store);
            }
            return active;
        }
    }

    private static String versions(List<StoreKeyBlock> blocks) {
        StringBuilder b = new StringBuilder();
        for (StoreKeyBlock k : blocks) {
            b.append(b.length() == 0 ? "" : ", ").append(k.epoch());
        }
        return b.length() == 0 ? "none" : b.toString();
    }
}
