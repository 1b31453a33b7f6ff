package io.dynamicshare.store;

import io.dynamicshare.branchkey.BranchKeyInventory;
import io.dynamicshare.branchkey.BranchKeyring;
import io.dynamicshare.entry.EntryConflictException;
import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.Recipients;
import io.dynamicshare.escrow.EscrowKey;
import io.dynamicshare.escrow.EscrowRecipients;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.security.UnrecoverableEntryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The operations the KeyStore API has no words for: {@code rewrap} (routine KEK rotation), {@code rekey}
 * (recovery from a compromise), the inventory and a full verification, over any {@link StoreBackend}. Every
 * write goes to the configured write KEK, record by record as a compare-and-set, so a concurrent writer's entry is
 * never overwritten: it is left for the next batch. A file store takes the result at its next {@code store}; a
 * database has it at once.
 */
final class KeyMaintenance {
    private final EntrySealer sealer;

    KeyMaintenance(EntrySealer sealer) {
        this.sealer = sealer;
    }

    /**
     * See {@link DynamicShareKeyStore#rewrap}. Also anchors every branch key version that entries use again under
     * the newest KEK version (a vault call or two per version, whatever the number of entries; an unused version is
     * never re-anchored, so one that A2 planted with an old KEK version is not vouched for); then moves each entry to what new
     * entries use: the active branch key version in hierarchical mode (a local unwrap and wrap for an entry already
     * under a branch key), the newest KEK version in direct mode.
     */
    int rewrap(String targetRef, int maxEntries) throws KeyStoreException {
        requireBatch(maxEntries);
        final StoreBackend backend = sealer.backend();
        final Kek target = sealer.writeKek(null);
        if (targetRef != null && !targetRef.equals(sealer.ctx.keks().policy().writeKek())) {
            throw new KeyStoreException("rewrap wraps with the configured 'kek' (" + sealer.ctx.keks().policy().writeKek()
                    + ") only, not " + targetRef + ": to move to another key, set kek=" + targetRef + " and list the "
                    + "old key in 'kek.allow' (" + sealer.ctx.config().source() + ")");
        }
        final KekId newest = newest(target);
        StoreKeyBlock block = backend.storeKeyBlock();
        if (block != null && !block.wrappedBy(newest)) {
            backend.reanchorStoreKey(target);
        }
        final boolean hierarchical = sealer.hierarchical(backend);
        try {
            // A KEK rotation is a branch key rotation too: re-anchoring the active version under the new KEK version
            // would make it pass for one that version made, and whoever holds the old KEK version (A2) and an old copy
            // of its block would read every wallet written after the rotation. So a fresh version, made by the
            // newest KEK version, comes first (checked here without any cache); the old ones are re-anchored below
            // only for reading the entries still under them, which this rewrap then moves.
            StoreKeyBlock activeBranch = hierarchical ? BranchKeyring.active(backend) : null;
            if (hierarchical && (activeBranch == null || !activeBranch.madeBy(newest))) {
                sealer.branchKeys.rotate(backend, target);
            }
            sealer.branchKeys.reanchor(backend, target, newest, branchKeysInUse(backend));
        } catch (GeneralSecurityException e) {
            throw Messages.keyStoreException(null, e);
        }
        if (hierarchical) {
            sealer.prepareBranchKey(backend, target, null);
        }
        final long active = hierarchical ? BranchKeyring.active(backend).epoch() : 0;
        final int[] counts = new int[2]; // done, remaining
        backend.forEachRecord(r -> {
            if (current(r.sealed, hierarchical, newest, active) && EscrowRecipients.upToDate(escrow(), r.sealed)) {
                return;
            }
            if (counts[0] == maxEntries) {
                counts[1]++;
                return;
            }
            DataKey dek = sealer.dataKey(r);
            try {
                final SealedEntry moved = r.sealed.withRecipients(sealer.recipients(target,
                        hierarchical ? null : EntrySealer.wrap(target, dek, r.alias), dek, r.alias));
                sealer.put(r.alias, r.sealed.version(), (storeId, epoch) -> moved);
                counts[0]++;
            } catch (EntryConflictException e) {
                // rewritten meanwhile, by the configured kek: nothing left to do for it
            } finally {
                dek.destroy();
            }
        });
        return counts[1];
    }

    /** True when the entry is wrapped as new entries are: by the active branch key version, or the newest KEK. */
    private static boolean current(SealedEntry sealed, boolean hierarchical, KekId newest, long activeBranchKey) {
        BranchRecipient b = sealed.branchRecipient();
        if (hierarchical) {
            return b != null && b.version() == activeBranchKey;
        }
        return b == null && wrappedBy(sealed.recipients(), newest);
    }

    /**
     * See {@link DynamicShareKeyStore#rekey}. With no entry left behind the current key epoch, starts a new one
     * (a fresh store key); then re-seals up to {@code maxEntries} entries behind it with fresh data keys.
     */
    int rekey(int maxEntries) throws KeyStoreException {
        requireBatch(maxEntries);
        StoreBackend backend = sealer.backend();
        final Kek kek = sealer.writeKek(null);
        // A rekey is resumed only when an earlier one (epoch 2 on) left entries behind AND the store key of that
        // epoch is wrapped (and, for RSA, signed) by nothing but the newest version of the configured kek: a
        // block that another version made (an old, possibly compromised one, or one A2 forged with it) is
        // never kept. Otherwise, and for a store whose only laggards are format-1 entries, a fresh store key.
        // In hierarchical mode the same holds for the active branch key version: a resumed rekey keeps wrapping
        // under it only if the newest version of the kek alone made it; a new rekey always draws a fresh version.
        final boolean hierarchical = sealer.hierarchical(backend);
        KekId newest = newest(kek);
        StoreKeyBlock activeBranchKey = BranchKeyring.active(backend);
        if (backend.countBehind() == 0 || backend.epoch() == 1 || !madeBy(backend.storeKeyBlock(), newest)
                || hierarchical && !madeBy(activeBranchKey, newest)) {
            // The fresh branch key version first: an instance sharing the database that sees the new epoch (its
            // write of the old one is refused) reads the branch key blocks again and finds this version, so no
            // entry of the new epoch is wrapped under a version that the end of the rekey removes.
            if (hierarchical) {
                long before = backend.highestBranchKeyVersion();
                rotateBranchKey(backend, kek);
                requireFreshBranchKey(backend, before, newest);
            }
            backend.startEpoch();
        }
        final long epoch = backend.epoch();
        final List<EntryRecord> batch = new ArrayList<>();
        backend.forEachRecord(r -> {
            if (batch.size() < maxEntries && r.behind(epoch)) {
                batch.add(r);
            }
        });
        for (EntryRecord r : batch) {
            reseal(r, kek, hierarchical);
        }
        int behind = backend.countBehind();
        if (behind == 0) {
            removeUnusedBranchKeys(backend, hierarchical);
        }
        return behind;
    }

    /** See {@link DynamicShareKeyStore#rotateBranchKey}: one vault sign (RSA KEK) or wrapKey (AES KEK). */
    long rotateBranchKey() throws KeyStoreException {
        StoreBackend backend = sealer.backend();
        Kek kek = sealer.writeKek(null);
        if (!sealer.hierarchical(backend)) {
            throw new KeyStoreException("branch keys are used in hierarchical mode only; this store writes in direct "
                    + "mode. Set kek.mode=hierarchical in " + sealer.ctx.config().source() + " to use them");
        }
        return rotateBranchKey(backend, kek);
    }

    private long rotateBranchKey(StoreBackend backend, Kek kek) throws KeyStoreException {
        try {
            return sealer.branchKeys.rotate(backend, kek);
        } catch (GeneralSecurityException e) {
            throw Messages.keyStoreException(null, e);
        }
    }

    /**
     * Refuses a rekey, before anything is rewritten, unless the active branch key version is new (higher than every
     * version held before the rotation, refused rows included) and made solely by the newest KEK version: a rekey
     * that kept wrapping under a version held before it (possibly the compromised one) would claim a recovery it
     * did not make.
     */
    private static void requireFreshBranchKey(StoreBackend backend, long before, KekId newest)
            throws KeyStoreException {
        StoreKeyBlock active = BranchKeyring.active(backend);
        if (active == null || active.epoch() <= before || !active.madeBy(newest)) {
            throw new KeyStoreException("rekey stopped before rewriting anything: after it made a fresh branch key "
                    + "version, the active one is " + (active == null ? "none" : "branch key v" + active.epoch())
                    + (active != null && active.epoch() <= before ? ", which the store held before the rekey (v"
                    + before + " was the highest)" : ", which is not made by " + newest + " alone")
                    + "; check dynamicshare_branch_key (or the store file) for versions added by hand");
        }
    }

    /** The branch key versions entries name. */
    private Set<Long> branchKeysInUse(StoreBackend backend) throws KeyStoreException {
        final Set<Long> inUse = new HashSet<>();
        backend.forEachRecord(r -> {
            if (r.sealed.branchRecipient() != null) {
                inUse.add(r.sealed.branchRecipient().version());
            }
        });
        return inUse;
    }

    /** Drops the branch key versions no entry uses (the active one stays in hierarchical mode). */
    private void removeUnusedBranchKeys(StoreBackend backend, boolean hierarchical) throws KeyStoreException {
        sealer.branchKeys.removeUnused(backend, branchKeysInUse(backend), hierarchical);
    }

    /** Opens an entry and seals its shares again under a fresh data key and the current epoch. */
    private void reseal(final EntryRecord r, final Kek kek, boolean hierarchical) throws KeyStoreException {
        final byte[] shares;
        try {
            shares = sealer.open(r);
        } catch (UnrecoverableEntryException e) {
            throw Messages.keyStoreException(r.alias, e);
        }
        final DataKey dek = DataKey.generate();
        try {
            final EntryBinding old = r.sealed.binding();
            final Recipients direct = hierarchical ? null : sealer.recipients(kek, EntrySealer.wrap(kek, dek, r.alias),
                    dek, r.alias);
            sealer.put(r.alias, r.sealed.version(), (storeId, epoch) -> CmsEnvelope.seal(shares,
                    new EntryBinding(r.alias, old.metadataJson(), storeId, old.creationTime(), old.identityOnlyAllowed(),
                            epoch), dek, hierarchical ? sealer.recipients(kek, null, dek, r.alias) : direct));
        } catch (EntryConflictException e) {
            // rewritten meanwhile: a new write is sealed under the current epoch already
        } finally {
            dek.destroy();
            Arrays.fill(shares, (byte) 0);
        }
    }

    /** The configured escrow key, or null. */
    private EscrowKey escrow() {
        return sealer.ctx.config().escrow();
    }

    private static KekId newest(Kek kek) throws KeyStoreException {
        try {
            return kek.newestVersion();
        } catch (KekException e) {
            throw Messages.keyStoreException(null, e);
        }
    }

    /** True when the block (store key or branch key) is wrapped and signed only by {@code version}. */
    private static boolean madeBy(StoreKeyBlock block, KekId version) {
        return block != null && block.madeBy(version);
    }

    private static boolean wrappedBy(List<WrappedKey> recipients, KekId version) {
        for (WrappedKey w : recipients) {
            if (w.kekId().equals(version)) {
                return true;
            }
        }
        return false;
    }

    private static void requireBatch(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
    }

    /** See {@link DynamicShareKeyStore#inventory}. */
    KekInventory inventory() throws KeyStoreException {
        StoreBackend backend = sealer.backend();
        final Map<String, Integer> counts = new TreeMap<>();
        final Map<Long, Integer> branchCounts = new TreeMap<>();
        final int[] withoutCommitment = new int[1];
        final List<SealedEntry> sealed = new java.util.ArrayList<>();
        backend.forEachRecord(r -> {
            sealed.add(r.sealed);
            for (WrappedKey w : r.sealed.recipients()) {
                counts.merge(w.kekId().value(), 1, Integer::sum);
            }
            if (r.sealed.branchRecipient() != null) {
                branchCounts.merge(r.sealed.branchRecipient().version(), 1, Integer::sum);
            }
            if (!r.sealed.binding().isKeyCommitting()) {
                withoutCommitment[0]++;
            }
        });
        StoreStanding standing = backend.standing();
        Map<Long, String> anchors = new TreeMap<>();
        for (StoreKeyBlock b : backend.branchKeyBlocks()) {
            anchors.put(b.epoch(), storeKekIds(b));
        }
        return new KekInventory(counts, storeKekIds(backend.storeKeyBlock()), standing.generation, backend.epoch(),
                standing.formatRead, withoutCommitment[0], backend.countBehind(), backend.storeId(),
                EscrowRecipients.inventory(escrow(), sealed),
                new BranchKeyInventory(anchors, branchCounts, sealer.hierarchical(backend)));
    }

    /**
     * See {@link DynamicShareKeyStore#verify}. Every allowed recipient of every entry is unwrapped and checked
     * against the entry's key commitment, then the entry is decrypted (and the result zeroed).
     */
    Map<String, String> verify() throws KeyStoreException {
        final Map<String, String> failures = new LinkedHashMap<>();
        sealer.backend().forEachRecord(r -> {
            try {
                // With more than one way to the data key, each must give the committed key (open uses the first).
                if (r.sealed.recipients().size() + (r.sealed.branchRecipient() == null ? 0 : 1) > 1) {
                    for (WrappedKey w : r.sealed.recipients()) {
                        if (sealer.ctx.keks().policy().allows(w.kekId())) {
                            Arrays.fill(sealer.unwrapDataKey(r.sealed, Collections.singletonList(w)), (byte) 0);
                        }
                    }
                }
                Arrays.fill(sealer.open(r), (byte) 0);
            } catch (UnrecoverableEntryException e) {
                failures.put(r.alias, e.getMessage());
            } catch (GeneralSecurityException e) {
                failures.put(r.alias, Messages.alias(r.alias) + e.getMessage());
            }
        });
        return failures;
    }

    /** The KEK version(s) that wrap a store key or branch key block, or null before a new store is first written. */
    static String storeKekIds(StoreKeyBlock block) {
        if (block == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (WrappedKey w : block.recipients()) {
            b.append(b.length() == 0 ? "" : ",").append(w.kekId());
        }
        return b.toString();
    }
}
