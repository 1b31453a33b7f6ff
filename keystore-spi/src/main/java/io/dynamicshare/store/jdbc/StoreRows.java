package io.dynamicshare.store.jdbc;

import io.dynamicshare.kek.KekException;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.security.KeyStoreException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The store-level SQL: finding and creating a store's {@code dynamicshare_store} row, and its key epochs'
 * {@code dynamicshare_store_key} rows. Every change is one transaction.
 */
final class StoreRows {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A store's row; {@code made} is the store key when this instance just created the store. */
    static final class Found {
        final UUID store;
        final long epoch;
        final EpochKeys.Opened made;

        Found(UUID store, long epoch, EpochKeys.Opened made) {
            this.store = store;
            this.epoch = epoch;
            this.made = made;
        }
    }

    private StoreRows() {
    }

    /** The store named {@code namespace}, or null; checks the schema version first. */
    static Found find(JdbcConnections db, String namespace) throws KeyStoreException {
        try (Connection c = db.get()) {
            JdbcSchema.check(c);
            try (PreparedStatement s = c.prepareStatement("SELECT store_id, key_epoch FROM dynamicshare_store "
                    + "WHERE namespace = ?")) {
                s.setQueryTimeout(db.timeoutSeconds);
                s.setString(1, namespace);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new Found((UUID) r.getObject(1), r.getLong(2), null) : null;
                }
            }
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "opening the store '" + namespace + "'", e);
        }
    }

    /**
     * Creates the store: a random store id and a fresh epoch-1 store key, or the given id and block (migration). Two
     * instances racing: the namespace is inserted if absent, and the loser reads the winner's store.
     *
     * @throws KeyStoreException if the store is read-only (no write KEK: the store must exist already), the key
     *                           service fails, or the given block is not this store id's genuine block
     */
    static Found create(StoreContext ctx, JdbcConnections db, String namespace, byte[] givenId, StoreKeyBlock givenBlock)
            throws KeyStoreException {
        EpochKeys.Opened made;
        byte[] id = givenId;
        try {
            if (givenId == null) {
                if (!ctx.keks().writable()) {
                    throw new KeyStoreException("the database holds no store named '" + namespace + "', and this "
                            + "store is read-only (no write KEK configured: set 'kek' in " + ctx.config().source()
                            + "), so it cannot create one");
                }
                id = new byte[16];
                RANDOM.nextBytes(id);
                StoreKeyAnchor.Made m = StoreKeyAnchor.create(id, 1, ctx.keks());
                made = new EpochKeys.Opened(m.key, m.block);
            } else {
                made = new EpochKeys.Opened(StoreKeyAnchor.open(givenBlock, givenId, ctx.keks()), givenBlock);
            }
        } catch (KekException | io.dynamicshare.storekey.StoreKeyException e) {
            KeyStoreException k = new KeyStoreException("cannot create the store '" + namespace + "': "
                    + e.getMessage());
            k.initCause(e);
            throw k;
        }
        UUID store = Rows.uuid(id);
        long epoch = made.block.epoch();
        boolean created = false;
        try (Connection c = db.get()) {
            c.setAutoCommit(false);
            boolean done = false;
            try {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO dynamicshare_store (store_id, namespace, "
                        + "key_epoch) VALUES (?, ?, ?) ON CONFLICT (namespace) DO NOTHING")) {
                    s.setQueryTimeout(db.timeoutSeconds);
                    s.setObject(1, store);
                    s.setString(2, namespace);
                    s.setLong(3, epoch);
                    created = s.executeUpdate() == 1;
                }
                if (created) {
                    insertBlock(db, c, store, epoch, made.block);
                    c.commit();
                    done = true;
                }
            } finally {
                if (!done) {
                    c.rollback();
                }
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            made.key.destroy();
            throw JdbcConnections.failure(null, "creating the store '" + namespace + "'", e);
        }
        if (created) {
            return new Found(store, epoch, made);
        }
        made.key.destroy(); // another instance created it first: use theirs
        Found theirs = find(db, namespace);
        if (theirs == null || givenId != null) {
            throw new KeyStoreException("the store '" + namespace + "' was created by another instance meanwhile"
                    + (givenId != null ? "; nothing was written" : " and is gone again"));
        }
        return theirs;
    }

    private static void insertBlock(JdbcConnections db, Connection c, UUID store, long epoch, StoreKeyBlock block)
            throws SQLException {
        // Overwrites a block planted for an epoch not yet started: no genuine writer can be using it.
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dynamicshare_store_key (store_id, key_epoch, "
                + "store_key_block) VALUES (?, ?, ?) ON CONFLICT (store_id, key_epoch) DO UPDATE SET "
                + "store_key_block = EXCLUDED.store_key_block, created_at = now()")) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            s.setLong(2, epoch);
            s.setBytes(3, block.encode());
            s.executeUpdate();
        }
    }

    /**
     * Starts key epoch {@code current + 1}: a fresh store key (one vault call), its block and the store row's epoch in
     * one transaction. Null when another instance started a new epoch meanwhile (then that one stands).
     */
    static EpochKeys.Opened startEpoch(StoreContext ctx, JdbcConnections db, UUID store, byte[] storeId, long current)
            throws KeyStoreException {
        StoreKeyAnchor.Made m;
        try {
            m = StoreKeyAnchor.create(storeId, current + 1, ctx.keks());
        } catch (KekException e) {
            KeyStoreException k = new KeyStoreException("cannot start key epoch " + (current + 1) + ": "
                    + e.getMessage());
            k.initCause(e);
            throw k;
        }
        boolean done = false;
        try (Connection c = db.get()) {
            c.setAutoCommit(false);
            try {
                int n;
                try (PreparedStatement s = c.prepareStatement("UPDATE dynamicshare_store SET key_epoch = ? "
                        + "WHERE store_id = ? AND key_epoch = ?")) {
                    s.setQueryTimeout(db.timeoutSeconds);
                    s.setLong(1, current + 1);
                    s.setObject(2, store);
                    s.setLong(3, current);
                    n = s.executeUpdate();
                }
                if (n == 1) {
                    insertBlock(db, c, store, current + 1, m.block);
                    c.commit();
                    done = true;
                }
            } finally {
                if (!done) {
                    c.rollback();
                }
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            m.key.destroy();
            throw JdbcConnections.failure(null, "starting key epoch " + (current + 1), e);
        }
        if (!done) {
            m.key.destroy();
            return null;
        }
        return new EpochKeys.Opened(m.key, m.block);
    }

    /** Replaces the block of {@code epoch} (rewrap: the same store key, wrapped anew). */
    static void replaceBlock(JdbcConnections db, UUID store, long epoch, StoreKeyBlock block) throws KeyStoreException {
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement("UPDATE dynamicshare_store_key SET "
                + "store_key_block = ? WHERE store_id = ? AND key_epoch = ?")) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setBytes(1, block.encode());
            s.setObject(2, store);
            s.setLong(3, epoch);
            if (s.executeUpdate() != 1) {
                throw new SQLException("no store key block of key epoch " + epoch + " to replace", "02000");
            }
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "re-anchoring the store key of key epoch " + epoch, e);
        }
    }

    /**
     * Deletes the blocks of epochs before the current one when no row uses them any more: under the store row's
     * lock (which every write takes shared), counting again first.
     *
     * @return true when blocks were deleted
     */
    static boolean deleteOldBlocks(JdbcConnections db, UUID store) throws KeyStoreException {
        try (Connection c = db.get()) {
            c.setAutoCommit(false);
            boolean deleted = false;
            try {
                long current;
                try (PreparedStatement s = c.prepareStatement("SELECT key_epoch FROM dynamicshare_store WHERE "
                        + "store_id = ? FOR UPDATE")) {
                    s.setQueryTimeout(db.timeoutSeconds);
                    s.setObject(1, store);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        current = r.getLong(1);
                    }
                }
                if (query(c, db, store, "SELECT count(*) FROM dynamicshare_store_key WHERE store_id = ? AND "
                        + "key_epoch < ?", current) > 0 && query(c, db, store, "SELECT count(*) FROM "
                        + "server_wallet_key_shares WHERE store_id = ? AND key_epoch < ?", current) == 0) {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM dynamicshare_store_key WHERE "
                            + "store_id = ? AND key_epoch < ?")) {
                        s.setQueryTimeout(db.timeoutSeconds);
                        s.setObject(1, store);
                        s.setLong(2, current);
                        deleted = s.executeUpdate() > 0;
                    }
                }
                c.commit();
                return deleted;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "deleting the store key blocks of past key epochs", e);
        }
    }

    /** A one-number query with the store id and, if not null, one long parameter. */
    static long number(JdbcConnections db, UUID store, String sql, Long arg) throws KeyStoreException {
        try (Connection c = db.get()) {
            return query(c, db, store, sql, arg);
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "counting", e);
        }
    }

    private static long query(Connection c, JdbcConnections db, UUID store, String sql, Long arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            if (arg != null) {
                s.setLong(2, arg);
            }
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("no row for store " + store, "02000");
                }
                return r.getLong(1);
            }
        }
    }
}
