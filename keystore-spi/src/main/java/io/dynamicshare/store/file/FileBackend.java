package io.dynamicshare.store.file;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.entry.EntryConflictException;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.store.EntryRecord;
import io.dynamicshare.store.Messages;
import io.dynamicshare.store.StoreBackend;
import io.dynamicshare.store.StoreConflictException;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.StoreStanding;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The embedded default: a whole store in memory, read from and written to one container file (docs/FORMAT.md).
 *
 * <p>Concurrency: reads take no lock and may run from any number of threads, also while a write runs; writes are
 * serialised on one lock. Each write publishes a whole new record, so a reader sees the old entry or the new one,
 * never a mix. Changes reach the file at {@link #store}/{@link #storeToFile} only.
 */
public final class FileBackend implements StoreBackend {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreContext ctx;
    private final Object writeLock = new Object();
    private final FileState state;

    private FileBackend(StoreContext ctx, FileState state) {
        this.ctx = ctx;
        this.state = state;
    }

    /** A new, empty store with a fresh store id; its store key is made at its first store. */
    public static FileBackend createEmpty(StoreContext ctx) {
        byte[] id = new byte[StoreFormat.STORE_ID_LENGTH];
        RANDOM.nextBytes(id);
        FileState s = new FileState(id, 0);
        s.epoch = 1;
        s.changed = true;
        return new FileBackend(ctx, s);
    }

    /**
     * Reads a whole store, authenticating it first (docs/FORMAT.md).
     *
     * @param minGeneration the oldest generation accepted (0 accepts every file)
     * @throws io.dynamicshare.store.StoreRollbackException if the file is older than {@code minGeneration}
     * @throws io.dynamicshare.store.StoreIntegrityException if the file is not a genuine store
     * @throws io.dynamicshare.kek.KekException if a key service failed or the configuration does not allow its KEK
     */
    public static FileBackend load(StoreContext ctx, InputStream in, long minGeneration)
            throws IOException, GeneralSecurityException {
        boolean readsFormat1;
        try {
            readsFormat1 = ctx.config().readsFormat1();
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        StoreImage image = StoreReader.read(in, ctx.keks(), minGeneration, readsFormat1);
        FileState s = new FileState(image.storeId, image.formatVersion);
        s.generation = image.generation;
        s.storeKey = image.storeKey;
        s.storeKeyBlock = image.storeKeyBlock;
        s.epoch = image.storeKeyBlock == null ? 1 : image.storeKeyBlock.epoch();
        for (EntryRecord r : image.entries) {
            s.entries.put(r.alias, r);
        }
        s.nextOrder = image.entries.size();
        s.branchKeyBlocks = image.branchKeyBlocks;
        s.changed = image.formatVersion == StoreFormat.VERSION_1;
        s.loadedTag = image.fileTag;
        return new FileBackend(ctx, s);
    }

    /**
     * A new, empty file store that takes over another store's identity and current store key (a migration from a
     * database keeps the store id, so every entry's binding stays valid). Opens the block first (one vault call).
     *
     * @throws io.dynamicshare.store.StoreIntegrityException if the block is not this store's genuine block
     */
    public static FileBackend adopt(StoreContext ctx, byte[] storeId, StoreKeyBlock block)
            throws GeneralSecurityException, IOException {
        FileState s = new FileState(storeId.clone(), StoreFormat.VERSION);
        try {
            s.storeKey = StoreKeyAnchor.open(block, s.storeId, ctx.keks());
        } catch (io.dynamicshare.storekey.StoreKeyException | io.dynamicshare.kek.KeyRefusedException e) {
            throw new io.dynamicshare.store.StoreIntegrityException("the store key block failed its integrity "
                    + "check: " + e.getMessage(), e);
        }
        s.storeKeyBlock = block;
        s.epoch = block.epoch();
        s.changed = true;
        return new FileBackend(ctx, s);
    }

    /**
     * Adds an entry exactly as sealed (a migration): it must be bound to {@code alias} and this store, with key
     * commitment, at this store's key epoch (a file holds one); the entry tag is computed when the file is written.
     *
     * @throws KeyStoreException naming the alias when the entry is bound elsewhere or to another key epoch
     */
    public EntryRecord putVerbatim(String alias, SealedEntry sealed) throws KeyStoreException {
        if (!sealed.binding().alias().equals(alias) || !sealed.binding().belongsTo(state.storeId)) {
            throw new KeyStoreException(Messages.alias(alias) + "the entry is bound to another alias or store");
        }
        if (!sealed.binding().isKeyCommitting() || sealed.binding().keyEpoch() != state.epoch) {
            throw new KeyStoreException(Messages.alias(alias) + "the entry is sealed under key epoch "
                    + sealed.binding().keyEpoch() + "; this store is at key epoch " + state.epoch + ": finish the "
                    + "rekey before moving it");
        }
        return put(alias, null, (id, epoch) -> sealed);
    }

    /** True when {@code stream} starts with the container's magic (KeyStoreSpi.engineProbe). */
    public static boolean probe(InputStream stream) throws IOException {
        byte[] head = new byte[StoreFormat.MAGIC.length];
        int n = 0;
        while (n < head.length) {
            int r = stream.read(head, n, head.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return StoreFormat.startsWithMagic(head, n);
    }

    @Override
    public byte[] storeId() {
        return state.storeId.clone();
    }

    @Override
    public long epoch() {
        return state.epoch;
    }

    @Override
    public EntryRecord record(String alias) {
        return state.entries.get(alias);
    }

    @Override
    public int size() {
        return state.entries.size();
    }

    /** Aliases in file order (a snapshot). */
    @Override
    public Iterator<String> aliases() {
        List<String> out = new ArrayList<>();
        for (EntryRecord r : state.ordered()) {
            out.add(r.alias);
        }
        return out.iterator();
    }

    @Override
    public EntryRecord put(String alias, String expectedVersion, Sealer sealer) throws KeyStoreException {
        synchronized (writeLock) {
            EntryRecord old = state.entries.get(alias);
            if (expectedVersion != null && (old == null || !old.sealed.version().equals(expectedVersion))) {
                throw new EntryConflictException(Messages.alias(alias) + (old == null ? "the entry was deleted"
                        : "the entry was changed by another writer") + " since it was read; nothing was written: "
                        + "read it again and reapply the update");
            }
            SealedEntry sealed;
            try {
                sealed = sealer.seal(state.storeId.clone(), state.epoch);
            } catch (GeneralSecurityException e) {
                throw Messages.keyStoreException(alias, e);
            }
            EntryRecord record = new EntryRecord(alias, sealed, old != null ? old.order : state.nextOrder++);
            state.entries.put(alias, record);
            state.changed = true;
            if (old != null) {
                ctx.cache().invalidate(old.sealed);
            }
            return record;
        }
    }

    @Override
    public boolean delete(String alias) {
        synchronized (writeLock) {
            EntryRecord old = state.entries.remove(alias);
            if (old != null) {
                state.changed = true;
                ctx.cache().invalidate(old.sealed);
            }
            return old != null;
        }
    }

    @Override
    public void forEachRecord(RecordAction action) throws KeyStoreException {
        for (EntryRecord r : state.ordered()) {
            action.accept(r);
        }
    }

    @Override
    public StoreKeyBlock storeKeyBlock() {
        synchronized (writeLock) {
            return state.storeKeyBlock;
        }
    }

    @Override
    public void reanchorStoreKey(Kek target) throws KeyStoreException {
        synchronized (writeLock) {
            if (state.storeKey == null) {
                return; // made, by the configured kek, at the first store
            }
            try {
                state.storeKeyBlock = StoreKeyAnchor.rewrap(state.storeKey, target);
                state.changed = true;
            } catch (KekException e) {
                throw Messages.keyStoreException(null, e);
            }
        }
    }

    @Override
    public void startEpoch() throws KeyStoreException {
        synchronized (writeLock) {
            try {
                StoreKeyAnchor.Made made = StoreKeyAnchor.create(state.storeId, state.epoch + 1, ctx.keks());
                state.destroyKeys();
                state.storeKey = made.key;
                state.storeKeyBlock = made.block;
                state.epoch = state.epoch + 1;
                state.changed = true;
            } catch (KekException e) {
                throw Messages.keyStoreException(null, e);
            }
        }
    }

    @Override
    public List<StoreKeyBlock> branchKeyBlocks() {
        return state.branchKeyBlocks;
    }

    @Override
    public StoreKeyBlock branchKeyBlock(long version) {
        for (StoreKeyBlock b : state.branchKeyBlocks) {
            if (b.epoch() == version) {
                return b;
            }
        }
        return null;
    }

    @Override
    public boolean addBranchKeyBlock(StoreKeyBlock block) {
        synchronized (writeLock) {
            if (branchKeyBlock(block.epoch()) != null) {
                return false;
            }
            place(block);
            return true;
        }
    }

    @Override
    public void replaceBranchKeyBlock(StoreKeyBlock block) throws KeyStoreException {
        synchronized (writeLock) {
            if (branchKeyBlock(block.epoch()) == null) {
                throw new KeyStoreException("the store holds no branch key v" + block.epoch() + " to replace");
            }
            place(block);
        }
    }

    /** Puts {@code block} in version order, replacing the block of its version; under the write lock. */
    private void place(StoreKeyBlock block) {
        {
            List<StoreKeyBlock> next = new ArrayList<>(state.branchKeyBlocks.size() + 1);
            boolean placed = false;
            for (StoreKeyBlock b : state.branchKeyBlocks) {
                if (!placed && b.epoch() >= block.epoch()) {
                    next.add(block);
                    placed = true;
                    if (b.epoch() == block.epoch()) {
                        continue;
                    }
                }
                next.add(b);
            }
            if (!placed) {
                next.add(block);
            }
            state.branchKeyBlocks = Collections.unmodifiableList(next);
            state.changed = true;
        }
    }

    @Override
    public void removeBranchKeyBlock(long version) {
        synchronized (writeLock) {
            List<StoreKeyBlock> next = new ArrayList<>(state.branchKeyBlocks);
            if (next.removeIf(b -> b.epoch() == version)) {
                state.branchKeyBlocks = Collections.unmodifiableList(next);
                state.changed = true;
            }
        }
    }

    @Override
    public int countBehind() {
        return state.countBehind();
    }

    @Override
    public StoreStanding standing() {
        return new StoreStanding(state.generation, state.formatRead, "generation " + state.generation
                + ", key epoch " + state.epoch + ", format read " + state.formatRead);
    }

    /** Forgets the cached data keys of every entry and zeroes the store key. */
    @Override
    public void close() {
        synchronized (writeLock) {
            for (EntryRecord r : state.entries.values()) {
                ctx.cache().invalidate(r.sealed);
            }
            state.destroyKeys();
        }
    }

    /**
     * Writes the store: as the next generation when anything changed since the last load or store, else as the
     * same one. A new or format-1 store gets its store key now (one vault sign or wrapKey). The caller has checked
     * that a write KEK is configured.
     *
     * @return the file MAC of what was written (its last 32 bytes)
     */
    public byte[] store(OutputStream out) throws KeyStoreException, IOException {
        synchronized (writeLock) {
            prepareStore();
            long next = state.changed ? state.generation + 1 : state.generation;
            byte[] tag = StoreWriter.write(state.storeId, next, state.storeKey, state.storeKeyBlock,
                    state.branchKeyBlocks, state.ordered(), out);
            state.generation = next;
            state.changed = false;
            return tag;
        }
    }

    /** A store key for a new or format-1 store; before any file is touched, so a failure leaves no trace on disk. */
    private void prepareStore() throws KeyStoreException {
        synchronized (writeLock) {
            if (state.storeKey == null) {
                try {
                    StoreKeyAnchor.Made made = StoreKeyAnchor.create(state.storeId, state.epoch, ctx.keks());
                    state.storeKey = made.key;
                    state.storeKeyBlock = made.block;
                } catch (KekException e) {
                    throw Messages.keyStoreException(null, e);
                }
            }
        }
    }

    /**
     * Stores to a file: under the file's lock, checks that the file is still what this store last loaded or wrote
     * there (unless {@code overwrite}), writes atomically, then removes temporary files of crashed writes.
     *
     * @throws StoreConflictException if another writer stored the file meanwhile
     */
    public void storeToFile(Path file, boolean overwrite) throws KeyStoreException, IOException {
        Path path = file.toAbsolutePath().normalize();
        prepareStore();
        try (StoreFileLock lock = StoreFileLock.acquire(path)) {
            if (!overwrite) {
                byte[] expected;
                synchronized (writeLock) {
                    expected = state.expectedTag(path);
                }
                lock.requireTag(expected);
            }
            final byte[][] tag = new byte[1][];
            try {
                AtomicFile.replace(path, out -> tag[0] = store(out));
            } catch (GeneralSecurityException e) {
                throw new IOException(e.getMessage(), e);
            }
            synchronized (writeLock) {
                state.storedTags.put(path, tag[0]);
            }
            lock.removeStaleTemps();
        }
    }
}
