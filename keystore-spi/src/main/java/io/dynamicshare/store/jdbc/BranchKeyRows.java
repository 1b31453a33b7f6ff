package io.dynamicshare.store.jdbc;

import io.dynamicshare.envelope.EnvelopeException;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.security.KeyStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One database store's branch key blocks (schema version 2, {@code dynamicshare_branch_key}; docs/FORMAT.md
 * "Branch keys"), read once and kept per backend instance: a cold read of any wallet costs no query for them. The
 * copy is read again when a version it lacks is asked for (another instance rotated), after {@code refreshMillis}
 * (an instance that only writes learns of a rotation within that time), and after this instance changes the table.
 *
 * <p>The rows are not trusted: each block is anchored by the KEK on its own and checked when a version is first
 * used. A row whose block does not decode, is empty, is over the file format's 1 MiB block bound (never fetched:
 * the SELECT hands back an empty block instead), or names another version than the row, is left out of the list
 * and refused by name when its version is asked for; the other versions keep working. Such a row still counts for
 * {@link #highestVersion}, so a rotation never aims at a version a planted row holds. More rows than a file can
 * hold ({@value #MAX_ROWS}) are refused as a whole. Thread-safe.
 *
 * <pre>{@code
 * BranchKeyRows rows = new BranchKeyRows(db, store, 300_000);
 * if (!rows.add(block)) { ... }           // the version exists: another instance made it first
 * StoreKeyBlock v3 = rows.block(3);       // null when the store holds no version 3, even after a fresh read
 * }</pre>
 */
final class BranchKeyRows {
    private static final String TABLE = "dynamicshare_branch_key";
    /** The file container's bound on branch key versions (StoreFormat.MAX_BRANCH_KEYS), kept here too. */
    static final int MAX_ROWS = 1024;
    /** The file format's bound on one block, in bytes (docs/FORMAT.md). */
    private static final int MAX_BLOCK_BYTES = 1024 * 1024;

    /** What one read of the table found. */
    private static final class Snapshot {
        final List<StoreKeyBlock> blocks;
        /** Versions whose row holds no genuine-looking block, with why. */
        final Map<Long, String> refused;
        /** The highest version of any row, refused ones included; 0 when there is none. */
        final long highest;
        final long readAt;

        Snapshot(List<StoreKeyBlock> blocks, Map<Long, String> refused, long highest, long readAt) {
            this.blocks = blocks;
            this.refused = refused;
            this.highest = highest;
            this.readAt = readAt;
        }
    }

    private final JdbcConnections db;
    private final UUID store;
    private final long refreshNanos;
    private final LongSupplier clock;
    private volatile Snapshot snapshot;

    /**
     * @param refreshMillis how long a copy of the table is used before it is read again, at least 1
     */
    BranchKeyRows(JdbcConnections db, UUID store, long refreshMillis) {
        this(db, store, refreshMillis, System::nanoTime);
    }

    BranchKeyRows(JdbcConnections db, UUID store, long refreshMillis, LongSupplier nanoClock) {
        this.db = db;
        this.store = store;
        this.refreshNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, refreshMillis));
        this.clock = nanoClock;
    }

    /** Every version's block, ascending; from the copy unless it is older than the refresh period. */
    List<StoreKeyBlock> blocks() throws KeyStoreException {
        Snapshot s = snapshot;
        if (s == null || clock.getAsLong() - s.readAt >= refreshNanos) {
            s = read();
        }
        return s.blocks;
    }

    /**
     * The block of {@code version}, reading the table again once if the copy lacks it.
     *
     * @return null when the store holds no such version
     * @throws KeyStoreException naming the version if its row holds no usable block (with a
     *                           {@link StoreIntegrityException} as the cause), or the database fails
     */
    StoreKeyBlock block(long version) throws KeyStoreException {
        StoreKeyBlock b = find(blocksOrRefused(snapshot, version), version);
        if (b != null) {
            return b;
        }
        return find(blocksOrRefused(read(), version), version);
    }

    /**
     * The highest version any row holds, refused rows included (0 when none), read from the table now: what a
     * rotation adds one to.
     *
     * @throws KeyStoreException if the database fails, or the store holds more than {@value #MAX_ROWS} rows
     */
    long highestVersion() throws KeyStoreException {
        return read().highest;
    }

    /** Forgets the copy: the next call reads the table (the key epoch moved, so a rekey may have rotated). */
    void invalidate() {
        snapshot = null;
    }

    /**
     * Inserts a new version's block unless the version exists (the primary key decides between instances).
     *
     * @return false when another writer made the version first: nothing was written
     */
    boolean add(StoreKeyBlock block) throws KeyStoreException {
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE
                + " (store_id, version, block) VALUES (?, ?, ?) ON CONFLICT (store_id, version) DO NOTHING")) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            s.setLong(2, block.epoch());
            s.setBytes(3, block.encode());
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "adding branch key v" + block.epoch(), e);
        } finally {
            invalidate();
        }
    }

    /**
     * Replaces an existing version's block (the same key, anchored again).
     *
     * @throws KeyStoreException if the store holds no such version, or the database fails
     */
    void replace(StoreKeyBlock block) throws KeyStoreException {
        int n;
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement("UPDATE " + TABLE
                + " SET block = ? WHERE store_id = ? AND version = ?")) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setBytes(1, block.encode());
            s.setObject(2, store);
            s.setLong(3, block.epoch());
            n = s.executeUpdate();
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "replacing branch key v" + block.epoch(), e);
        } finally {
            invalidate();
        }
        if (n == 0) {
            throw new KeyStoreException("the store holds no branch key v" + block.epoch() + " to replace (it was "
                    + "removed meanwhile)");
        }
    }

    /** Deletes a version's block; nothing when there is none. */
    void remove(long version) throws KeyStoreException {
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement("DELETE FROM " + TABLE
                + " WHERE store_id = ? AND version = ?")) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            s.setLong(2, version);
            s.executeUpdate();
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "removing branch key v" + version, e);
        } finally {
            invalidate();
        }
    }

    private Snapshot read() throws KeyStoreException {
        List<StoreKeyBlock> blocks = new ArrayList<>();
        Map<Long, String> refused = new TreeMap<>();
        long highest = 0;
        int rows = 0;
        // Bounded as in a file: a block over 1 MiB comes back empty (refused, never fetched), and at most one row
        // more than a file holds is fetched, to tell that there are too many.
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement("SELECT version, CASE WHEN "
                + "octet_length(block) <= " + MAX_BLOCK_BYTES + " THEN block ELSE ''::bytea END FROM " + TABLE
                + " WHERE store_id = ? ORDER BY version LIMIT " + (MAX_ROWS + 1))) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (++rows > MAX_ROWS) {
                        throw integrity(TABLE + " holds more than " + MAX_ROWS + " branch key versions for this "
                                + "store, more than a store file can hold: rows were added by hand (delete the "
                                + "versions no entry uses)");
                    }
                    long version = r.getLong(1);
                    highest = Math.max(highest, version);
                    byte[] der = r.getBytes(2);
                    if (der == null || der.length == 0) {
                        refused.put(version, "its block is empty or over " + MAX_BLOCK_BYTES + " bytes (not fetched)");
                        continue;
                    }
                    try {
                        StoreKeyBlock b = StoreKeyBlock.decode(der);
                        if (b.epoch() != version) {
                            refused.put(version, "its block is version " + b.epoch() + "'s");
                        } else {
                            blocks.add(b);
                        }
                    } catch (EnvelopeException e) {
                        refused.put(version, "its block does not decode (" + e.getMessage() + ")");
                    }
                }
            }
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "reading the branch key blocks", e);
        }
        Snapshot fresh = new Snapshot(Collections.unmodifiableList(blocks), refused, highest, clock.getAsLong());
        snapshot = fresh;
        return fresh;
    }

    /** The snapshot's blocks; throws if {@code version} is one it refused. */
    private static List<StoreKeyBlock> blocksOrRefused(Snapshot s, long version) throws KeyStoreException {
        if (s == null) {
            return Collections.emptyList();
        }
        String why = s.refused.get(version);
        if (why != null) {
            throw integrity("branch key v" + version + " in " + TABLE + " is not genuine: " + why
                    + "; entries wrapped under it cannot be opened");
        }
        return s.blocks;
    }

    /** A KeyStoreException whose cause is a {@link StoreIntegrityException} with the same message. */
    private static KeyStoreException integrity(String message) {
        KeyStoreException e = new KeyStoreException(message);
        e.initCause(new StoreIntegrityException(message));
        return e;
    }

    private static StoreKeyBlock find(List<StoreKeyBlock> blocks, long version) {
        for (StoreKeyBlock b : blocks) {
            if (b.epoch() == version) {
                return b;
            }
        }
        return null;
    }
}
