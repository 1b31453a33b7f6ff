package io.dynamicshare.store.jdbc;

import io.dynamicshare.entry.EntryConflictException;
import io.dynamicshare.store.EntryRecord;
import io.dynamicshare.store.Messages;

import java.security.KeyStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The SQL of a row write, each one transaction, atomic with the store's current key epoch: the store row is read
 * {@code FOR SHARE}, so a write can never land under an epoch that {@code startEpoch} already left, nor beside the
 * deletion of an old epoch's block (which takes the store row {@code FOR UPDATE}); and it lands only while the store
 * still holds the block of the row's own key epoch (a rewrap or a verbatim copy keeps an older one). A write that
 * finds the epoch moved changes nothing and reports {@link #EPOCH_MOVED}; the backend seals again under the new one.
 */
final class RowWrites {
    /** What {@link #upsert} and {@link #replace} return when another instance started a new key epoch meanwhile. */
    static final int EPOCH_MOVED = 0;

    private static final String UPSERT = "INSERT INTO server_wallet_key_shares (id, store_id, alias, wallet_id, "
            + "account_address, encrypted_key_shares, encryption_key_id, wallet_metadata, entry_tag, key_epoch) "
            + "SELECT ?, s.store_id, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ? FROM dynamicshare_store s "
            + "WHERE s.store_id = ? AND s.key_epoch = ? AND EXISTS (SELECT 1 FROM dynamicshare_store_key k "
            + "WHERE k.store_id = s.store_id AND k.key_epoch = ?) FOR SHARE "
            + "ON CONFLICT (store_id, alias) DO UPDATE SET wallet_id = EXCLUDED.wallet_id, "
            + "account_address = EXCLUDED.account_address, encrypted_key_shares = EXCLUDED.encrypted_key_shares, "
            + "encryption_key_id = EXCLUDED.encryption_key_id, wallet_metadata = EXCLUDED.wallet_metadata, "
            + "entry_tag = EXCLUDED.entry_tag, key_epoch = EXCLUDED.key_epoch, "
            + "row_version = server_wallet_key_shares.row_version + 1, updated_at = now()";
    private static final String LOCK_STORE = "SELECT key_epoch FROM dynamicshare_store WHERE store_id = ? FOR SHARE";
    private static final String LOCK_ROW = "SELECT " + VerifiedRows.COLUMNS
            + " FROM server_wallet_key_shares w WHERE w.store_id = ? AND w.alias = ? FOR UPDATE OF w";
    private static final String EPOCH_KEPT = "SELECT 1 FROM dynamicshare_store_key WHERE store_id = ? AND key_epoch = ?";
    private static final String UPDATE = "UPDATE server_wallet_key_shares SET wallet_id = ?, account_address = ?, "
            + "encrypted_key_shares = ?, encryption_key_id = ?, wallet_metadata = CAST(? AS jsonb), entry_tag = ?, "
            + "key_epoch = ?, row_version = row_version + 1, updated_at = now() WHERE store_id = ? AND alias = ?";
    private static final String DELETE = "DELETE FROM server_wallet_key_shares WHERE store_id = ? AND alias = ?";

    private final JdbcConnections db;
    private final UUID store;

    RowWrites(JdbcConnections db, UUID store) {
        this.db = db;
        this.store = store;
    }

    /** What the backend checks, under the row's lock, before a compare-and-set replaces it. */
    interface Expectation {
        /** @return the version the locked row holds, authenticated; null when there is no row */
        String versionOf(VerifiedRows.Row locked, Connection tx) throws KeyStoreException;
    }

    /** Writes unconditionally; {@link #EPOCH_MOVED} when the store's key epoch is no longer {@code storeEpoch}. */
    int upsert(EntryRecord r, VerifiedRows.Row row, long storeEpoch) throws KeyStoreException {
        Rows cols = Rows.of(r);
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement(UPSERT)) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, UUID.randomUUID());
            s.setString(2, r.alias);
            bindRow(s, 3, cols, row);
            s.setObject(10, store);
            s.setLong(11, storeEpoch);
            s.setLong(12, row.epoch);
            return s.executeUpdate() == 0 ? EPOCH_MOVED : 1;
        } catch (SQLException e) {
            throw JdbcConnections.failure(r.alias, "writing the entry", e);
        }
    }

    /**
     * Compare-and-set: in one transaction, locks the store row (shared) and the alias's row, checks that the row still
     * holds {@code expectedVersion}, and replaces it.
     *
     * @throws EntryConflictException naming the alias when the row holds another version or is gone; nothing written
     */
    int replace(EntryRecord r, VerifiedRows.Row row, long storeEpoch, String expectedVersion, Expectation check)
            throws KeyStoreException {
        Rows cols = Rows.of(r);
        try (Connection c = db.get()) {
            c.setAutoCommit(false);
            boolean done = false;
            try {
                if (lockedEpoch(c) != storeEpoch || !epochKept(c, row.epoch)) {
                    return EPOCH_MOVED;
                }
                VerifiedRows.Row locked = lockRow(c, r.alias);
                String found = locked == null ? null : check.versionOf(locked, c);
                if (!expectedVersion.equals(found)) {
                    throw new EntryConflictException(Messages.alias(r.alias) + (found == null ? "the entry was deleted"
                            : "the entry was changed by another writer") + " since it was read; nothing was written: "
                            + "read it again and reapply the update");
                }
                try (PreparedStatement s = c.prepareStatement(UPDATE)) {
                    s.setQueryTimeout(db.timeoutSeconds);
                    bindRow(s, 1, cols, row);
                    s.setObject(8, store);
                    s.setString(9, r.alias);
                    s.executeUpdate();
                }
                c.commit();
                done = true;
                return 1;
            } finally {
                if (!done) {
                    c.rollback();
                }
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw JdbcConnections.failure(r.alias, "replacing the entry (compare-and-set)", e);
        }
    }

    /** The seven row columns both writes set, in the order UPSERT and UPDATE name them, from parameter {@code first}. */
    private static void bindRow(PreparedStatement s, int first, Rows cols, VerifiedRows.Row row) throws SQLException {
        s.setString(first, cols.walletId);
        s.setString(first + 1, cols.accountAddress);
        s.setBytes(first + 2, row.der);
        s.setString(first + 3, cols.kekIds);
        s.setString(first + 4, cols.jsonb);
        s.setBytes(first + 5, row.tag);
        s.setLong(first + 6, row.epoch);
    }

    /** @return false when there was no row */
    boolean delete(String alias) throws KeyStoreException {
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement(DELETE)) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            s.setString(2, alias);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw JdbcConnections.failure(alias, "deleting the entry", e);
        }
    }

    private long lockedEpoch(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOCK_STORE)) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SQLException("the store row " + store + " is gone from dynamicshare_store", "02000");
                }
                return r.getLong(1);
            }
        }
    }

    /** Under the store row's shared lock, so no rekey can retire the epoch before the commit. */
    private boolean epochKept(Connection c, long epoch) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(EPOCH_KEPT)) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            s.setLong(2, epoch);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private VerifiedRows.Row lockRow(Connection c, String alias) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(LOCK_ROW)) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            s.setString(2, alias);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? VerifiedRows.Row.read(r, 1) : null;
            }
        }
    }
}
