package io.dynamicshare.store.jdbc;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.EntryRecord;
import io.dynamicshare.store.Messages;
import io.dynamicshare.store.StoreBackend;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.store.StoreStanding;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * A store kept in PostgreSQL (schema {@value JdbcSchema#SCRIPT}; README "PostgreSQL store"): one
 * {@code server_wallet_key_shares} row per entry, authenticated like a file entry by its entry tag under the store key
 * of the row's key epoch (docs/FORMAT.md, "Database rows"). Many instances may open one store at once.
 *
 * <p>Reads: {@link #record} is one SELECT by (store_id, alias); an unchanged row returns the record already
 * authenticated ({@link VerifiedRows}). Writes go through at once, one transaction each ({@link RowWrites}).
 * {@link #aliases} and {@link #forEachRecord} page by alias (keyset pagination) and hold no connection between
 * pages. Thread-safe.
 *
 * <pre>{@code
 * JdbcBackend b = JdbcBackend.open(ctx, DatabaseStoreParameter.of(dataSource, "payments"));
 * EntryRecord r = b.record("0xA9bb...");
 * b.close();
 * }</pre>
 */
public final class JdbcBackend implements StoreBackend {
    private static final int ALIAS_PAGE = 1000;
    private static final int RECORD_PAGE = 64;

    private final StoreContext ctx;
    private final JdbcConnections db;
    private final String namespace;
    private final byte[] storeId;
    private final UUID store;
    private final EpochKeys keys;
    private final VerifiedRows rows;
    private final RowWrites writes;
    private final AccessTracker access;
    private final BranchKeyRows branchKeys;
    private volatile long epoch;
    private volatile boolean closed;

    private JdbcBackend(StoreContext ctx, JdbcConnections db, DatabaseStoreParameter p, UUID store, long epoch) {
        this.ctx = ctx;
        this.db = db;
        this.namespace = p.namespace();
        this.store = store;
        this.storeId = Rows.bytes(store);
        this.epoch = epoch;
        this.keys = new EpochKeys(db, storeId, ctx.keks());
        int capacity = 1000;
        try {
            capacity = Math.max(capacity, ctx.config().cacheMaxEntries());
        } catch (io.dynamicshare.config.ConfigException e) {
            // checked when the configuration was read; the default stands
        }
        this.rows = new VerifiedRows(storeId, keys, ctx.cache(), capacity);
        this.writes = new RowWrites(db, store);
        this.access = new AccessTracker(p.accessTracking(), p.accessFlushSeconds(), db, store);
        long branchRefresh = 300_000;
        try {
            branchRefresh = ctx.config().branchKeyCacheMillis();
        } catch (io.dynamicshare.config.ConfigException e) {
            // checked when the configuration was read; the default stands
        }
        this.branchKeys = new BranchKeyRows(db, store, branchRefresh);
    }

    /**
     * Opens the store {@code p.namespace()}: reads its {@code dynamicshare_store} row (no entry row) and opens the
     * current epoch's store key (one vault call). A namespace the database does not hold is created when a write KEK
     * is configured (random store id, epoch 1; two instances racing create exactly one); without one it is an error.
     *
     * @throws KeyStoreException if the database cannot be reached, holds no or an unknown schema version, the
     *                           namespace does not exist on a read-only store, or its store key block is not genuine
     */
    public static JdbcBackend open(StoreContext ctx, DatabaseStoreParameter p) throws KeyStoreException {
        JdbcConnections db = JdbcConnections.open(p);
        try {
            JdbcBackend b = openOrCreate(ctx, db, p, null, null);
            db = null;
            return b;
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    /**
     * Creates the namespace {@code p.namespace()} with a given store id and the store key block of its current
     * epoch, for a store moved from a file (migration keeps the store id, so every entry's binding stays valid).
     * Opens the block first (one vault call): only a genuine block is written.
     *
     * @throws KeyStoreException if the namespace exists, or the block is not this store's genuine block
     */
    public static JdbcBackend create(StoreContext ctx, DatabaseStoreParameter p, byte[] storeId, StoreKeyBlock block)
            throws KeyStoreException {
        JdbcConnections db = JdbcConnections.open(p);
        try {
            JdbcBackend b = openOrCreate(ctx, db, p, storeId.clone(), block);
            db = null;
            return b;
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    private static JdbcBackend openOrCreate(StoreContext ctx, JdbcConnections db, DatabaseStoreParameter p,
                                            byte[] givenId, StoreKeyBlock givenBlock) throws KeyStoreException {
        StoreRows.Found found = StoreRows.find(db, p.namespace());
        if (found != null && givenId != null) {
            throw new KeyStoreException("the database already holds a store named '" + p.namespace() + "' (store id "
                    + found.store + "); nothing was written");
        }
        if (found == null) {
            found = StoreRows.create(ctx, db, p.namespace(), givenId, givenBlock);
        }
        JdbcBackend b = new JdbcBackend(ctx, db, p, found.store, found.epoch);
        try {
            if (found.made != null) {
                b.keys.adopt(found.made.key, found.made.block);
            }
            b.currentKey();
            return b;
        } catch (KeyStoreException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    @Override
    public List<StoreKeyBlock> branchKeyBlocks() throws KeyStoreException {
        return branchKeys.blocks();
    }

    @Override
    public StoreKeyBlock branchKeyBlock(long version) throws KeyStoreException {
        return branchKeys.block(version);
    }

    @Override
    public long highestBranchKeyVersion() throws KeyStoreException {
        return branchKeys.highestVersion();
    }

    @Override
    public boolean addBranchKeyBlock(StoreKeyBlock block) throws KeyStoreException {
        return branchKeys.add(block);
    }

    @Override
    public void replaceBranchKeyBlock(StoreKeyBlock block) throws KeyStoreException {
        branchKeys.replace(block);
    }

    @Override
    public void removeBranchKeyBlock(long version) throws KeyStoreException {
        branchKeys.remove(version);
    }

    /** Many instances and wallets: direct mode's cold reads would outrun the vault (README "Capacity planning"). */
    @Override
    public boolean hierarchicalByDefault() {
        return true;
    }

    /** The namespace this store has in its database. */
    public String namespace() {
        return namespace;
    }

    @Override
    public byte[] storeId() {
        return storeId.clone();
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public EntryRecord record(String alias) throws KeyStoreException {
        VerifiedRows.Row row;
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement("SELECT " + VerifiedRows.COLUMNS
                + " FROM server_wallet_key_shares w WHERE w.store_id = ? AND w.alias = ?")) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            s.setString(2, alias);
            try (ResultSet r = s.executeQuery()) {
                row = r.next() ? VerifiedRows.Row.read(r, 1) : null;
            }
        } catch (SQLException e) {
            throw JdbcConnections.failure(alias, "reading the entry", e);
        }
        if (row == null) {
            rows.forget(alias);
            return null;
        }
        return rows.verify(alias, row, true, null);
    }

    @Override
    public void accessed(String alias) {
        access.accessed(alias);
    }

    /** Writes the pending access counts now (batched access tracking). */
    public void flushAccessCounts() throws KeyStoreException {
        try {
            access.flush();
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "writing access counts", e);
        }
    }

    @Override
    public int size() throws KeyStoreException {
        long n = StoreRows.number(db, store, "SELECT count(*) FROM server_wallet_key_shares WHERE store_id = ?", null);
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** Every alias in the database's order of the alias column, {@value #ALIAS_PAGE} at a time (keyset pagination). */
    @Override
    public Iterator<String> aliases() {
        return new AliasPages(db, store, ALIAS_PAGE);
    }

    @Override
    public EntryRecord put(String alias, String expectedVersion, Sealer sealer) throws KeyStoreException {
        for (int attempt = 0; ; attempt++) {
            long current = epoch;
            SealedEntry sealed;
            try {
                sealed = sealer.seal(storeId.clone(), current);
            } catch (GeneralSecurityException e) {
                throw Messages.keyStoreException(alias, e);
            }
            EntryRecord r = new EntryRecord(alias, sealed, 0);
            VerifiedRows.Row row = tagged(alias, CmsEnvelope.encode(sealed), sealed.binding().keyEpoch());
            int n = expectedVersion == null ? writes.upsert(r, row, current)
                    : writes.replace(r, row, current, expectedVersion, (locked, tx) -> rows.verify(alias, locked,
                    false, tx).sealed.version());
            if (n != RowWrites.EPOCH_MOVED) {
                rows.remember(alias, row, r);
                return r;
            }
            refreshEpoch();
            long sealedEpoch = sealed.binding().keyEpoch();
            if (sealedEpoch != epoch && !keys.kept(sealedEpoch)) {
                // A rewrap or verbatim copy of an entry of an epoch that a rekey retired meanwhile: written, it
                // would be a row nobody can read.
                keys.forget(sealedEpoch);
                throw new KeyStoreException(Messages.alias(alias) + "the entry is sealed under key epoch "
                        + sealedEpoch + ", which a finished rekey retired meanwhile; nothing was written");
            }
            if (attempt == 3) {
                throw new KeyStoreException(Messages.alias(alias) + "the store's key epoch kept changing while the "
                        + "entry was written; nothing was written: try again");
            }
        }
    }

    /**
     * Writes an entry's DER exactly as given (a migration from a file store): it must be bound to {@code alias} and
     * this store, and sealed under the store's current key epoch (a source whose rekey is unfinished must finish it
     * first). Replaces any row there. Tags it under the current store key: no vault call.
     *
     * @throws KeyStoreException naming the alias when the entry is bound elsewhere or the write fails
     */
    public EntryRecord putVerbatim(String alias, byte[] der) throws KeyStoreException {
        refreshEpoch(); // another instance may have started a key epoch
        EntryRecord parsed;
        try {
            parsed = EntryRecord.parse(alias, der, storeId, 0);
        } catch (StoreIntegrityException e) {
            throw Messages.keyStoreException(alias, e);
        }
        long entryEpoch = parsed.sealed.binding().keyEpoch();
        if (!parsed.sealed.binding().isKeyCommitting() || entryEpoch != epoch) {
            throw new KeyStoreException(Messages.alias(alias) + "the entry is sealed under key epoch " + entryEpoch
                    + " (format " + parsed.sealed.binding().formatVersion() + "); this store is at key epoch " + epoch
                    + " and holds only that epoch's store key: finish the source's rekey before moving it");
        }
        final SealedEntry sealed = parsed.sealed;
        return put(alias, null, (id, e) -> sealed);
    }

    /** The row for a sealed entry: its DER, and its tag under the store key of its own key epoch. */
    private VerifiedRows.Row tagged(String alias, byte[] der, long entryEpoch) throws KeyStoreException {
        try {
            return new VerifiedRows.Row(der, keys.get(entryEpoch).key.entryTag(alias, der), entryEpoch);
        } catch (StoreIntegrityException e) {
            throw Messages.keyStoreException(alias, e);
        }
    }

    @Override
    public boolean delete(String alias) throws KeyStoreException {
        boolean existed = writes.delete(alias);
        rows.forget(alias);
        return existed;
    }

    /** Every row, authenticated, by alias, {@value #RECORD_PAGE} rows per query; no connection is held meanwhile. */
    @Override
    public void forEachRecord(RecordAction action) throws KeyStoreException {
        String after = "";
        while (true) {
            List<String> aliases = new ArrayList<>();
            List<VerifiedRows.Row> page = new ArrayList<>();
            try (Connection c = db.get(); PreparedStatement s = c.prepareStatement("SELECT w.alias, "
                    + VerifiedRows.COLUMNS + " FROM server_wallet_key_shares w WHERE w.store_id = ? AND w.alias > ? "
                    + "ORDER BY w.alias LIMIT " + RECORD_PAGE)) {
                s.setQueryTimeout(db.timeoutSeconds);
                s.setObject(1, store);
                s.setString(2, after);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        aliases.add(r.getString(1));
                        page.add(VerifiedRows.Row.read(r, 2));
                    }
                }
            } catch (SQLException e) {
                throw JdbcConnections.failure(null, "reading entries after alias position '" + after + "'", e);
            }
            for (int i = 0; i < page.size(); i++) {
                action.accept(rows.verify(aliases.get(i), page.get(i), false, null));
            }
            if (page.size() < RECORD_PAGE) {
                return;
            }
            after = aliases.get(aliases.size() - 1);
        }
    }

    @Override
    public StoreKeyBlock storeKeyBlock() throws KeyStoreException {
        return currentKey().block;
    }

    @Override
    public void reanchorStoreKey(Kek target) throws KeyStoreException {
        EpochKeys.Opened k = currentKey();
        StoreKeyBlock block;
        try {
            block = io.dynamicshare.storekey.StoreKeyAnchor.rewrap(k.key, target);
        } catch (KekException e) {
            throw Messages.keyStoreException(null, e);
        }
        StoreRows.replaceBlock(db, store, k.key.epoch(), block);
        keys.reblock(k.key.epoch(), block);
    }

    @Override
    public void startEpoch() throws KeyStoreException {
        refreshEpoch();
        EpochKeys.Opened made = StoreRows.startEpoch(ctx, db, store, storeId, epoch);
        if (made != null) {
            keys.adopt(made.key, made.block);
        }
        refreshEpoch();
    }

    /**
     * Rows behind the current key epoch. At 0, the store key blocks of older epochs are deleted (under the store
     * row's lock, after counting again), so a rekey's end leaves only the current store key.
     */
    @Override
    public int countBehind() throws KeyStoreException {
        refreshEpoch();
        long n = StoreRows.number(db, store, "SELECT count(*) FROM server_wallet_key_shares WHERE store_id = ? AND "
                + "key_epoch < ?", epoch);
        if (n == 0 && StoreRows.deleteOldBlocks(db, store)) {
            keys.forgetBefore(epoch);
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    @Override
    public StoreStanding standing() {
        return new StoreStanding(0, 2, "database store '" + namespace + "' (store id " + store + ", " + db.where
                + "), key epoch " + epoch);
    }

    /** Flushes access counts, forgets every remembered entry's data key, zeroes store keys, closes its own pool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        access.close();
        rows.clear();
        keys.destroy();
        db.close();
    }

    private EpochKeys.Opened currentKey() throws KeyStoreException {
        try {
            return keys.get(epoch);
        } catch (StoreIntegrityException e) {
            KeyStoreException k = new KeyStoreException("database store '" + namespace + "': " + e.getMessage());
            k.initCause(e);
            throw k;
        }
    }

    /** Reads the store's current key epoch (it only grows). */
    private void refreshEpoch() throws KeyStoreException {
        long e = StoreRows.number(db, store, "SELECT key_epoch FROM dynamicshare_store WHERE store_id = ?", null);
        if (e > epoch) {
            epoch = e;
            branchKeys.invalidate(); // a rekey rotates the branch key before it moves the epoch
        }
    }
}
