package io.dynamicshare.branchkey;

import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.storekey.AnchoredKey;
import io.dynamicshare.storekey.KeyPurpose;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;
import io.dynamicshare.storekey.StoreKeyException;

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
 * <p>Writers ({@link #prepare}, {@link #wrap}) use the active version only when its block is made solely by the
 * newest version of the write KEK (decided once per cache period, {@link NewestAnchors}); otherwise they make a new
 * version first. So a version that an old KEK version anchored (A2 holds it, docs/SECURITY.md section 9) never
 * wraps a new entry, and after a KEK rotation the first write moves to a fresh version.
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
    private final NewestAnchors anchors;

    public BranchKeyring(TrustedKeks keks, BranchKeyCache cache) {
        this.keks = keks;
        this.cache = cache;
        this.anchors = new NewestAnchors(cache);
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
     * Makes sure the store has an active version that the newest version of the write KEK alone made, and that it
     * is unwrapped: what a write calls before it takes any lock, so that the wrap itself ({@link #wrap}) is local.
     * The first write of a store creates version 1; the first write after a KEK rotation (or after A2 planted a
     * version anchored by an old KEK version) creates the next version.
     *
     * @throws GeneralSecurityException if the key service fails, or a version is not genuine
     */
    public void prepare(BranchKeyStorage store, Kek writeKek) throws GeneralSecurityException {
        StoreKeyBlock active = writable(store, writeKek);
        cache.use(active, store.storeId(), keks, k -> null);
    }

    /**
     * Wraps a data key for {@code alias} under the active version, made now if the store has none or the newest
     * version of {@code writeKek} did not make it alone (see {@link #prepare}).
     *
     * @param dataKey 32 bytes, not modified or retained
     */
    public BranchRecipient wrap(BranchKeyStorage store, Kek writeKek, final byte[] dataKey, final String alias)
            throws GeneralSecurityException {
        StoreKeyBlock active = writable(store, writeKek);
        return cache.use(active, store.storeId(), keks, k -> k.wrap(dataKey, alias));
    }

    /**
     * Creates version n + 1 for new entries (older versions stay, for reading), where n is the highest version any
     * stored block claims ({@link BranchKeyStorage#highestBranchKeyVersion}, refused rows included). When another
     * writer made n + 1 at the same moment, its block is kept only if it is genuine (anchor checked: one vault
     * {@code unwrapKey}) and made solely by the newest version of {@code writeKek}.
     *
     * @return the new version
     * @throws GeneralSecurityException if the key service fails; the store is then unchanged. A
     *         {@link KeyStoreException} caused by a {@link StoreIntegrityException} naming the version if another
     *         writer's block for it is not genuine or not made by the newest KEK version
     */
    public synchronized long rotate(BranchKeyStorage store, Kek writeKek) throws GeneralSecurityException {
        long next = store.highestBranchKeyVersion() + 1;
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
            // Another instance made this version at the same moment (the primary key decided): its block is kept
            // if it is genuine and as fresh as this one; a row planted there is refused, never taken for a win.
            key.destroy();
            acceptWinner(store, storeId, block, writeKek);
            return next;
        }
        cache.adopt(block, storeId, new BranchKey(key));
        anchors.remember(block, storeId, writeKek);
        return next;
    }

    /** Takes another writer's block of {@code mine}'s version, or refuses it by name. */
    private void acceptWinner(BranchKeyStorage store, byte[] storeId, StoreKeyBlock mine, Kek writeKek)
            throws GeneralSecurityException {
        long v = mine.epoch();
        KekId newest = mine.recipients().get(0).kekId();
        StoreKeyBlock winner = store.branchKeyBlock(v); // a refused row throws here, naming the version
        if (winner == null) {
            throw new KeyStoreException("branch key v" + v + " was added by another writer and removed again while "
                    + "this one made it: try again");
        }
        if (!winner.madeBy(newest)) {
            throw integrity("branch key v" + v + ", which another writer added while this one made it, is not made "
                    + "by " + newest + " (the newest version of the write KEK) alone: refusing to use it");
        }
        try {
            cache.use(winner, storeId, keks, k -> null);
        } catch (StoreKeyException e) {
            throw integrity("branch key v" + v + ", which another writer added while this one made it, is not "
                    + "genuine: " + e.getMessage());
        }
        anchors.remember(winner, storeId, writeKek);
    }

    /**
     * Anchors every version that entries use and that the newest KEK version does not wrap again under it (rewrap
     * after a KEK rotation): the branch keys stay, so no entry changes. A version no entry uses is left as it is:
     * one that only an old KEK version anchored may be A2's (docs/SECURITY.md section 9), and re-anchoring it would
     * vouch for it under the new KEK version; writers make a fresh version instead ({@link #prepare}).
     *
     * @param inUse the versions entries name
     * @return how many versions were re-anchored
     */
    public synchronized int reanchor(BranchKeyStorage store, final Kek writeKek, KekId newest, Set<Long> inUse)
            throws GeneralSecurityException {
        byte[] storeId = store.storeId();
        int moved = 0;
        for (StoreKeyBlock b : store.branchKeyBlocks()) {
            if (b.wrappedBy(newest) || !inUse.contains(b.epoch())) {
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

    /** The active version if the newest version of the write KEK alone made it; else a new one, made now. */
    private StoreKeyBlock writable(BranchKeyStorage store, Kek writeKek) throws GeneralSecurityException {
        byte[] storeId = store.storeId();
        StoreKeyBlock active = active(store);
        if (active != null && anchors.madeByNewest(active, storeId, writeKek)) {
            return active;
        }
        synchronized (this) {
            active = active(store);
            if (active != null && anchors.madeByNewest(active, storeId, writeKek)) {
                return active;
            }
            long made = rotate(store, writeKek);
            active = active(store);
            if (active == null || !anchors.madeByNewest(active, storeId, writeKek)) {
                throw integrity("branch key v" + (active == null ? made : active.epoch()) + ", the active version "
                        + "after this writer made v" + made + ", is not made by the newest version of the write KEK "
                        + "alone: refusing to wrap under it");
            }
            return active;
        }
    }

    /** A KeyStoreException whose cause is a {@link StoreIntegrityException} with the same message. */
    private static KeyStoreException integrity(String message) {
        KeyStoreException e = new KeyStoreException(message);
        e.initCause(new StoreIntegrityException(message));
        return e;
    }

    private static String versions(List<StoreKeyBlock> blocks) {
        StringBuilder b = new StringBuilder();
        for (StoreKeyBlock k : blocks) {
            b.append(b.length() == 0 ? "" : ", ").append(k.epoch());
        }
        return b.length() == 0 ? "none" : b.toString();
    }
}
