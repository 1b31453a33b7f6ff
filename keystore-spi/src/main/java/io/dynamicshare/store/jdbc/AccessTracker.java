package io.dynamicshare.store.jdbc;

import io.dynamicshare.audit.ProviderLoggers;
import io.dynamicshare.store.DatabaseStoreParameter.AccessTracking;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The storage guide's {@code access_count} and {@code last_accessed_at}, kept without a write on the read path by
 * default ({@link AccessTracking#BATCHED}): reads are counted in memory and one batched UPDATE per interval adds them
 * to the rows, from the one background thread of {@link AccessFlushes}; {@link #close} flushes what is pending, as does
 * the one JVM shutdown hook. A crash (kill -9, power loss) loses at most one interval of counts, as does a store
 * dropped without {@code close()}; a failed flush is logged and its counts are kept for the
 * next one. {@link AccessTracking#SYNC} writes in the reader's thread; {@link AccessTracking#OFF} never writes.
 */
final class AccessTracker {
    private static final Logger LOG = ProviderLoggers.get("io.dynamicshare.store.jdbc");
    private static final String UPDATE = "UPDATE server_wallet_key_shares SET access_count = access_count + ?, "
            + "last_accessed_at = GREATEST(COALESCE(last_accessed_at, ?), ?) WHERE store_id = ? AND alias = ?";

    /** Reads of one alias since the last flush. */
    private static final class Pending {
        long count;
        long lastMillis;
    }

    private final AccessTracking mode;
    private final JdbcConnections db;
    private final UUID storeUuid;
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final AccessFlushes.Registration schedule;

    AccessTracker(AccessTracking mode, int flushSeconds, JdbcConnections db, UUID storeUuid) {
        this.mode = mode;
        this.db = db;
        this.storeUuid = storeUuid;
        schedule = mode == AccessTracking.BATCHED ? AccessFlushes.register(this, flushSeconds) : null;
    }

    /** Counts one read of {@code alias}. */
    void accessed(String alias) {
        if (mode == AccessTracking.OFF) {
            return;
        }
        long now = System.currentTimeMillis();
        if (mode == AccessTracking.SYNC) {
            Map<String, Pending> one = new HashMap<>();
            Pending p = new Pending();
            p.count = 1;
            p.lastMillis = now;
            one.put(alias, p);
            flushQuietly(one);
            return;
        }
        pending.compute(alias, (a, p) -> {
            Pending q = p == null ? new Pending() : p;
            q.count++;
            q.lastMillis = Math.max(q.lastMillis, now);
            return q;
        });
    }

    /** Writes the pending counts now: one batched UPDATE. */
    synchronized void flush() throws SQLException { // one at a time: close() waits for a background flush under way
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Pending> batch = new TreeMap<>(); // one lock order across instances: no deadlock
        for (String alias : pending.keySet()) {
            Pending p = pending.remove(alias);
            if (p != null) {
                batch.put(alias, p);
            }
        }
        try {
            write(batch);
        } catch (SQLException | RuntimeException e) {
            for (Map.Entry<String, Pending> e2 : batch.entrySet()) { // kept for the next flush
                pending.merge(e2.getKey(), e2.getValue(), (a, b) -> {
                    a.count += b.count;
                    a.lastMillis = Math.max(a.lastMillis, b.lastMillis);
                    return a;
                });
            }
            throw e;
        }
    }

    void flushQuietly() {
        try {
            flush();
        } catch (SQLException | RuntimeException | Error e) { // an Error must not end this store's schedule either
            LOG.log(Level.WARNING, "DynamicShare: access counts not written yet (kept for the next flush): " + e);
        }
    }

    private void flushQuietly(Map<String, Pending> batch) {
        try {
            write(batch);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "DynamicShare: access count not written: " + e);
        }
    }

    private void write(Map<String, Pending> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement(UPDATE)) {
            s.setQueryTimeout(db.timeoutSeconds);
            for (Map.Entry<String, Pending> e : batch.entrySet()) {
                Timestamp last = new Timestamp(e.getValue().lastMillis);
                s.setLong(1, e.getValue().count);
                s.setTimestamp(2, last);
                s.setTimestamp(3, last);
                s.setObject(4, storeUuid);
                s.setString(5, e.getKey());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Stops the background flush and writes what is pending. */
    synchronized void close() {
        if (schedule != null) {
            schedule.cancel();
            flushQuietly();
        }
    }
}
