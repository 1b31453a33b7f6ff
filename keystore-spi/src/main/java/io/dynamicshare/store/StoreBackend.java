package io.dynamicshare.store;

import io.dynamicshare.branchkey.BranchKeyStorage;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.util.Iterator;

/**
 * Where a store's records live: the one seam between how an entry is sealed and opened (shared by every backend,
 * {@link EntrySealer}) and where sealed entries are kept: the file container ({@code io.dynamicshare.store.file})
 * or a database ({@code io.dynamicshare.store.jdbc}). The KeyStoreSpi, the envelope, the data-key cache and the
 * audit are the same over every backend, and every backend passes one contract and attack suite (src-test
 * {@code backend/}).
 *
 * <p>What every implementation guarantees:
 * <ul>
 *   <li>{@link #record} returns only a record whose entry tag (docs/FORMAT.md) verified under the store key of its
 *       key epoch, for that alias in this store; otherwise it throws {@link StoreIntegrityException}.</li>
 *   <li>{@link #put} calls the {@link Sealer} with this store's id and current key epoch, and writes its result
 *       atomically: all of it or nothing, and nothing when it throws. With an expected version it is a
 *       compare-and-set: {@link io.dynamicshare.entry.EntryConflictException} when the alias now holds another
 *       version (or none).</li>
 *   <li>Key epochs only grow. {@link #startEpoch} and {@link #reanchorStoreKey} are the only ways the store key
 *       changes.</li>
 *   <li>Branch key blocks ({@link BranchKeyStorage}, hierarchical mode) are kept per version and written the same
 *       way as entries: with the next {@code store} for a file, at once for a database.</li>
 * </ul>
 *
 * <p>How writes reach storage differs, as between the JDK's PKCS12 and PKCS#11 KeyStores: a file backend keeps
 * everything in memory and writes at {@code store}; a database backend writes through, one transaction per
 * {@code setEntry}/{@code deleteEntry}, and {@code store} has nothing left to do.
 */
public interface StoreBackend extends BranchKeyStorage {

    /** Seals an entry for this store: the binding gets {@code storeId} and {@code epoch}. */
    interface Sealer {
        SealedEntry seal(byte[] storeId, long epoch) throws GeneralSecurityException;
    }

    /** What {@link #forEachRecord} does with each record. */
    interface RecordAction {
        void accept(EntryRecord record) throws KeyStoreException;
    }

    /** A copy of the store's 16-byte id. */
    @Override
    byte[] storeId() throws KeyStoreException;

    /** The current key epoch: what new entries are sealed under. Starts at 1. */
    long epoch() throws KeyStoreException;

    /**
     * The record under {@code alias}, authenticated; null when there is none.
     *
     * @throws StoreIntegrityException naming the alias when a stored record does not authenticate
     * @throws KeyStoreException when the storage cannot be read
     */
    EntryRecord record(String alias) throws KeyStoreException;

    /**
     * Called after {@code getEntry} opened the entry under {@code alias}: a database store counts it
     * ({@code access_count}, {@code last_accessed_at}); a file store keeps no such count.
     */
    default void accessed(String alias) {
    }

    /** The number of entries. */
    int size() throws KeyStoreException;

    /** Every alias once, in the backend's order, holding at most a bounded page of them in memory. */
    Iterator<String> aliases() throws KeyStoreException;

    /**
     * Writes the entry {@code sealer} makes under {@code alias}.
     *
     * @param expectedVersion null to write unconditionally, else the {@link SealedEntry#version()} the alias must
     *                        still hold
     * @throws io.dynamicshare.entry.EntryConflictException if {@code expectedVersion} is no longer current
     * @throws KeyStoreException naming the alias when sealing or storage fails; nothing was written
     */
    EntryRecord put(String alias, String expectedVersion, Sealer sealer) throws KeyStoreException;

    /** Removes the entry; false when there was none. */
    boolean delete(String alias) throws KeyStoreException;

    /** Every record, authenticated, in the backend's order (for maintenance). */
    void forEachRecord(RecordAction action) throws KeyStoreException;

    /** The block anchoring the current epoch's store key; null while a new file store has none yet. */
    StoreKeyBlock storeKeyBlock() throws KeyStoreException;

    /** Anchors the current store key again under {@code target} (rewrap): one vault sign or wrap. */
    void reanchorStoreKey(Kek target) throws KeyStoreException;

    /** Draws a fresh store key for epoch {@link #epoch()} + 1 (rekey): one vault sign or wrap. */
    void startEpoch() throws KeyStoreException;

    /** The number of entries {@code rekey} has yet to re-seal: without key commitment, or behind the epoch. */
    int countBehind() throws KeyStoreException;

    /** Where the store stands, for audit lines and the inventory (never secret). */
    StoreStanding standing() throws KeyStoreException;

    /** Releases connections and background work; flushes what is pending. The backend is unusable after. */
    void close();
}
