package io.dynamicshare.store;

import io.dynamicshare.branchkey.BranchKeyStorage;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.store.file.FileBackend;
import io.dynamicshare.store.jdbc.JdbcBackend;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.util.Arrays;

/**
 * Moves a whole store between a file and a database, in either direction, without opening a single entry: the
 * store keeps its id and its current store key, its branch key blocks (hierarchical mode) move as they are, and every
 * entry moves as its exact bytes (docs/FORMAT.md), so a migration costs one vault call (opening the store key block
 * on the other side) whatever the number of wallets, and the shares are never decrypted. Branch key blocks need no
 * vault call: each is anchored on its own and bound to the store id, which the migration keeps. The file is the
 * database store's backup and export format (container 3 when the store has branch keys).
 *
 * <p>Both directions need every entry at the store's current key epoch: a store in the middle of a {@code rekey}
 * is refused until the rekey is finished (a file holds one key epoch).
 *
 * <pre>{@code
 * StoreMigration.fileToDatabase(fileStore, DatabaseStoreParameter.of(dataSource, "payments"), progress);
 * StoreMigration.databaseToFile(databaseStore, Paths.get("backup.dsks"));
 * }</pre>
 */
public final class StoreMigration {
    /** Told how far a migration got. */
    public interface Progress {
        void moved(int done, int total);
    }

    /** What a migration did: entries written, and entries already there with the same bytes (a resumed run). */
    public static final class Result {
        public final int written;
        public final int unchanged;

        Result(int written, int unchanged) {
            this.written = written;
            this.unchanged = unchanged;
        }
    }

    private StoreMigration() {
    }

    /**
     * Copies a loaded file store into the database namespace {@code to}, creating the namespace with the file's store
     * id and store key block. Resumable: run again after an interruption, it skips rows already written with the
     * same bytes and writes the rest. A namespace that holds another store is refused.
     *
     * @throws KeyStoreException if the source is not a file store, a rekey is unfinished, the namespace holds
     *                           another store (or other blocks for the same branch key versions), or a write fails
     *                           (the rows written so far stay; a rerun resumes)
     */
    public static Result fileToDatabase(DynamicShareKeyStore from, DatabaseStoreParameter to, Progress progress)
            throws KeyStoreException {
        StoreBackend source = from.backend();
        if (!(source instanceof FileBackend)) {
            throw new KeyStoreException("the source of a file-to-database migration must be a file store, not "
                    + source.standing());
        }
        StoreKeyBlock block = requireSettled(source);
        JdbcBackend target = openOrCreate(from.context(), to, source.storeId(), block);
        try {
            if (target.epoch() != source.epoch()) {
                throw new KeyStoreException("the database store '" + to.namespace() + "' is at key epoch "
                        + target.epoch() + " and the file at " + source.epoch() + ": they have diverged; migrate into "
                        + "a new namespace");
            }
            copyBranchKeys(source, target, to.namespace());
            final int total = source.size();
            final int[] counts = new int[2];
            source.forEachRecord(r -> {
                byte[] der = CmsEnvelope.encode(r.sealed);
                EntryRecord there = target.record(r.alias);
                if (there != null && Arrays.equals(CmsEnvelope.encode(there.sealed), der)) {
                    counts[1]++;
                } else {
                    target.putVerbatim(r.alias, der);
                    counts[0]++;
                }
                if (progress != null) {
                    progress.moved(counts[0] + counts[1], total);
                }
            });
            return new Result(counts[0], counts[1]);
        } finally {
            target.close();
        }
    }

    /**
     * Writes a loaded database store to a new store file (a backup or export, or the way back to the embedded
     * default): same store id, current store key, every row's entry. The file is written once, atomically, at the
     * end: an interrupted run leaves no file, and running it again starts over (it opens no entry, so it is cheap).
     *
     * @throws KeyStoreException if the source is not a database store or a rekey is unfinished
     * @throws IOException if the file exists already or cannot be written
     */
    public static Result databaseToFile(DynamicShareKeyStore from, Path file, Progress progress)
            throws KeyStoreException, IOException {
        StoreBackend source = from.backend();
        if (!(source instanceof JdbcBackend)) {
            throw new KeyStoreException("the source of a database-to-file migration must be a database store, not "
                    + source.standing());
        }
        StoreKeyBlock block = requireSettled(source);
        final FileBackend target;
        try {
            target = FileBackend.adopt(from.context(), source.storeId(), block);
        } catch (GeneralSecurityException | IOException e) {
            throw Messages.keyStoreException(null, e);
        }
        try {
            copyBranchKeys(source, target, file.toString());
            final int total = source.size();
            final int[] done = new int[1];
            source.forEachRecord(r -> {
                target.putVerbatim(r.alias, r.sealed);
                done[0]++;
                if (progress != null) {
                    progress.moved(done[0], total);
                }
            });
            target.storeToFile(file, false);
            return new Result(done[0], 0);
        } finally {
            target.close();
        }
    }

    /** The current store key block, once no entry is behind the current key epoch. */
    private static StoreKeyBlock requireSettled(StoreBackend source) throws KeyStoreException {
        int behind = source.countBehind();
        if (behind > 0) {
            throw new KeyStoreException(behind + " entries are behind key epoch " + source.epoch() + " (an unfinished "
                    + "rekey, or format-1 entries): run rekey to completion before migrating; nothing was written");
        }
        StoreKeyBlock block = source.storeKeyBlock();
        if (block == null) {
            throw new KeyStoreException("the store has no store key yet (a new store never stored): store it first");
        }
        return block;
    }

    /**
     * Copies every branch key block before any entry that names one: verbatim, as the entries. A version the target
     * holds already must hold the same block (a resumed migration).
     */
    private static void copyBranchKeys(BranchKeyStorage from, BranchKeyStorage to, String where)
            throws KeyStoreException {
        for (StoreKeyBlock b : from.branchKeyBlocks()) {
            if (!to.addBranchKeyBlock(b)) {
                StoreKeyBlock there = to.branchKeyBlock(b.epoch());
                if (there == null || !Arrays.equals(there.encode(), b.encode())) {
                    throw new KeyStoreException("branch key v" + b.epoch() + " of '" + where + "' is not the source's: "
                            + "the stores have diverged; migrate into a new namespace");
                }
            }
        }
    }

    private static JdbcBackend openOrCreate(StoreContext ctx, DatabaseStoreParameter to, byte[] storeId,
                                            StoreKeyBlock block) throws KeyStoreException {
        try {
            return JdbcBackend.create(ctx, to, storeId, block);
        } catch (KeyStoreException e) {
            JdbcBackend existing;
            try {
                existing = JdbcBackend.open(ctx, to);
            } catch (KeyStoreException again) {
                throw e;
            }
            if (!Arrays.equals(existing.storeId(), storeId)) {
                existing.close();
                throw new KeyStoreException("the database namespace '" + to.namespace() + "' holds another store: "
                        + "migrate into a new namespace; nothing was written");
            }
            return existing; // a resumed migration
        }
    }
}
