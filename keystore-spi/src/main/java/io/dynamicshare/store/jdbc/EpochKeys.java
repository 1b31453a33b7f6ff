package io.dynamicshare.store.jdbc;

import io.dynamicshare.envelope.EnvelopeException;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.storekey.StoreKey;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;
import io.dynamicshare.storekey.StoreKeyException;

import java.security.KeyStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store keys of one database store, by key epoch: each opened once per backend instance from its
 * {@code dynamicshare_store_key} row through {@link StoreKeyAnchor#open} (one vault call per epoch), then kept.
 * A block that is missing, does not decode, names another epoch or is not anchored by an allowed KEK is a
 * {@link StoreIntegrityException}: rows tagged under it are never trusted.
 */
final class EpochKeys {
    /** A store key and the block it was opened from. */
    static final class Opened {
        final StoreKey key;
        final StoreKeyBlock block;

        Opened(StoreKey key, StoreKeyBlock block) {
            this.key = key;
            this.block = block;
        }
    }

    private final JdbcConnections db;
    private final byte[] storeId;
    private final UUID storeUuid;
    private final TrustedKeks keks;
    private final Map<Long, Opened> opened = new ConcurrentHashMap<>();

    EpochKeys(JdbcConnections db, byte[] storeId, TrustedKeks keks) {
        this.db = db;
        this.storeId = storeId.clone();
        this.storeUuid = Rows.uuid(storeId);
        this.keks = keks;
    }

    /**
     * The store key of {@code epoch}.
     *
     * @throws StoreIntegrityException when the epoch has no genuine block
     * @throws KeyStoreException when the database or the key service fails
     */
    Opened get(long epoch) throws KeyStoreException, StoreIntegrityException {
        return get(epoch, null);
    }

    /** As {@link #get(long)}, reading a missing block through {@code c} (a transaction under way), if not null. */
    Opened get(long epoch, Connection c) throws KeyStoreException, StoreIntegrityException {
        Opened o = opened.get(epoch);
        if (o != null) {
            return o;
        }
        synchronized (this) { // one vault call per epoch, however many threads ask at once
            o = opened.get(epoch);
            if (o == null) {
                o = open(epoch, c);
                opened.put(epoch, o);
            }
            return o;
        }
    }

    /** Adopts a store key this instance made (a new store or epoch): no vault call to read it back. */
    void adopt(StoreKey key, StoreKeyBlock block) {
        Opened old = opened.put(key.epoch(), new Opened(key, block));
        if (old != null && old.key != key) {
            old.key.destroy();
        }
    }

    /** Replaces the block of an epoch after a rewrap (same key). */
    void reblock(long epoch, StoreKeyBlock block) {
        Opened o = opened.get(epoch);
        if (o != null) {
            opened.put(epoch, new Opened(o.key, block));
        }
    }

    /** Forgets and zeroes the key of {@code epoch} (its block is gone: a rekey retired it). */
    void forget(long epoch) {
        Opened o = opened.remove(epoch);
        if (o != null) {
            o.key.destroy();
        }
    }

    /** True when the store holds a store key block for {@code epoch}. */
    boolean kept(long epoch) throws KeyStoreException {
        try (Connection c = db.get()) {
            return readBlock(c, epoch) != null;
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "reading the store key block of key epoch " + epoch, e);
        }
    }

    /** Forgets and zeroes the keys of epochs before {@code epoch}. */
    void forgetBefore(long epoch) {
        for (Iterator<Map.Entry<Long, Opened>> it = opened.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Opened> e = it.next();
            if (e.getKey() < epoch) {
                it.remove();
                e.getValue().key.destroy();
            }
        }
    }

    private byte[] readBlock(Connection c, long epoch) throws SQLException {
        // Bounded as in a file (docs/FORMAT.md, 1 MiB): an inflated block is refused, never fetched.
        try (PreparedStatement s = c.prepareStatement("SELECT CASE WHEN octet_length(store_key_block) <= 1048576 THEN "
                + "store_key_block ELSE ''::bytea END FROM dynamicshare_store_key WHERE store_id = ? AND key_epoch = ?")) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, storeUuid);
            s.setLong(2, epoch);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        }
    }

    /** Zeroes every key. */
    void destroy() {
        forgetBefore(Long.MAX_VALUE);
    }

    private Opened open(long epoch, Connection tx) throws KeyStoreException, StoreIntegrityException {
        byte[] der;
        try {
            if (tx != null) {
                der = readBlock(tx, epoch);
            } else {
                try (Connection c = db.get()) {
                    der = readBlock(c, epoch);
                }
            }
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "reading the store key block of key epoch " + epoch, e);
        }
        if (der == null) {
            throw new StoreIntegrityException("the store has no store key block for key epoch " + epoch + " (deleted, "
                    + "or never made)");
        }
        StoreKeyBlock block;
        try {
            block = StoreKeyBlock.decode(der);
        } catch (EnvelopeException e) {
            throw new StoreIntegrityException("the store key block of key epoch " + epoch + " is malformed: "
                    + e.getMessage(), e);
        }
        if (block.epoch() != epoch) {
            throw new StoreIntegrityException("the store key block in the row of key epoch " + epoch + " is the block "
                    + "of key epoch " + block.epoch() + ": it was moved");
        }
        try {
            return new Opened(StoreKeyAnchor.open(block, storeId, keks), block);
        } catch (StoreKeyException e) {
            throw new StoreIntegrityException("the store key block of key epoch " + epoch + " is not genuine: "
                    + e.getMessage(), e);
        } catch (KekException e) {
            KeyStoreException k = new KeyStoreException("cannot open the store key of key epoch " + epoch + ": "
                    + e.getMessage());
            k.initCause(e);
            throw k;
        }
    }
}
