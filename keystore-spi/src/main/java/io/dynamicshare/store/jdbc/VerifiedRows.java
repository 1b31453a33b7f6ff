package io.dynamicshare.store.jdbc;

import io.dynamicshare.cache.DataKeyCache;
import io.dynamicshare.store.EntryRecord;
import io.dynamicshare.store.Messages;
import io.dynamicshare.store.StoreIntegrityException;

import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authenticates rows (docs/FORMAT.md, "Database rows") and remembers, per alias, the last row it authenticated: its
 * bytes, tag and key epoch, and the {@link EntryRecord} made from it. A row read again with byte-identical DER, tag and
 * epoch is the same authenticated entry, so the same record object is returned: no parse, no HMAC, and the data-key
 * cache (keyed by the sealed entry's identity) hits. A row with other bytes (another instance replaced it) is
 * authenticated afresh and gets a new identity; the old one's data key leaves the cache. Bounded: past
 * {@code capacity} aliases, one is dropped per insert.
 */
final class VerifiedRows {
    /**
     * The columns a read selects, from {@code server_wallet_key_shares w}: the entry (null when over its bound) and its
     * tag (empty unless 32 bytes), so a row a database writer inflated to a gigabyte is never fetched; the row's key epoch, and
     * whether the store still holds a store key block for that epoch (a finished rekey deletes the old ones).
     */
    static final String COLUMNS = "CASE WHEN octet_length(w.encrypted_key_shares) <= " + Row.MAX_ENTRY_BYTES
            + " THEN w.encrypted_key_shares END, CASE WHEN octet_length(w.entry_tag) = 32 THEN w.entry_tag ELSE ''::bytea END, "
            + "w.key_epoch, EXISTS (SELECT 1 FROM dynamicshare_store_key k WHERE k.store_id = w.store_id "
            + "AND k.key_epoch = w.key_epoch)";

    /** One row as read from the database. */
    static final class Row {
        /** The largest entry read, in bytes: the file container's bound (docs/FORMAT.md, 64 MiB). */
        static final int MAX_ENTRY_BYTES = 64 << 20;

        /** Null when the stored entry is over {@link #MAX_ENTRY_BYTES}. */
        final byte[] der;
        /** Empty when the stored tag is not 32 bytes (it then fails like any wrong tag). */
        final byte[] tag;
        final long epoch;
        /** False when the store holds no store key block for {@link #epoch} any more. */
        final boolean epochKept;

        Row(byte[] der, byte[] tag, long epoch) {
            this(der, tag, epoch, true);
        }

        private Row(byte[] der, byte[] tag, long epoch, boolean epochKept) {
            this.der = der;
            this.tag = tag;
            this.epoch = epoch;
            this.epochKept = epochKept;
        }

        /** The row at {@code r}'s column {@code first} onwards, as {@link #COLUMNS} selects it. */
        static Row read(java.sql.ResultSet r, int first) throws java.sql.SQLException {
            return new Row(r.getBytes(first), r.getBytes(first + 1), r.getLong(first + 2), r.getBoolean(first + 3));
        }

        boolean sameAs(Row o) {
            return epoch == o.epoch && Arrays.equals(tag, o.tag) && Arrays.equals(der, o.der);
        }
    }

    private static final class Verified {
        final Row row;
        final EntryRecord record;

        Verified(Row row, EntryRecord record) {
            this.row = row;
            this.record = record;
        }
    }

    private final byte[] storeId;
    private final EpochKeys keys;
    private final DataKeyCache cache;
    private final int capacity;
    private final ConcurrentHashMap<String, Verified> rows = new ConcurrentHashMap<>();

    VerifiedRows(byte[] storeId, EpochKeys keys, DataKeyCache cache, int capacity) {
        this.storeId = storeId.clone();
        this.keys = keys;
        this.cache = cache;
        this.capacity = Math.max(1, capacity);
    }

    /**
     * The authenticated record of {@code row} under {@code alias}; the remembered one when the row is unchanged.
     *
     * @param remember false for bulk reads (maintenance), which must not flush the hot set
     * @param tx       a transaction under way (to read a store key block through), or null
     * @throws KeyStoreException naming the alias, with a {@link StoreIntegrityException} cause, when the row does
     *                           not authenticate; or when the database or key service fails
     */
    EntryRecord verify(String alias, Row row, boolean remember, Connection tx) throws KeyStoreException {
        EntryRecord r;
        try {
            // Before the remembered record is reused: a key epoch that a rekey retired is never trusted again, also
            // not by an instance that opened its store key before the rekey (nor for a row rolled back to it).
            checkShape(alias, row);
            Verified known = rows.get(alias);
            if (known != null && known.row.sameAs(row)) {
                return known.record;
            }
            r = authenticate(alias, row, tx);
        } catch (StoreIntegrityException e) {
            KeyStoreException k = new KeyStoreException(Messages.prefixed(alias, e.getMessage()));
            k.initCause(e);
            throw k;
        }
        if (remember) {
            remember(alias, row, r);
        }
        return r;
    }

    private void checkShape(String alias, Row row) throws StoreIntegrityException {
        if (!row.epochKept) {
            keys.forget(row.epoch);
            forget(alias);
            throw new StoreIntegrityException(Messages.alias(alias) + "the row's key_epoch is " + row.epoch + ", and the "
                    + "store has no store key block for key epoch " + row.epoch + " (a rekey retired it, or it never "
                    + "existed): the row is not trusted");
        }
        if (row.der == null) {
            throw new StoreIntegrityException(Messages.alias(alias) + "the row's entry is larger than "
                    + (Row.MAX_ENTRY_BYTES >> 20) + " MiB: not read");
        }
    }

    private EntryRecord authenticate(String alias, Row row, Connection tx)
            throws KeyStoreException, StoreIntegrityException {
        EpochKeys.Opened k;
        try {
            k = keys.get(row.epoch, tx);
        } catch (StoreIntegrityException e) {
            throw new StoreIntegrityException(Messages.alias(alias) + "the row's key_epoch is " + row.epoch + ", and "
                    + e.getMessage(), e);
        }
        if (!MessageDigest.isEqual(k.key.entryTag(alias, row.der), row.tag)) {
            throw new StoreIntegrityException(Messages.alias(alias) + "the row's entry tag does not verify: the row "
                    + "was altered, or moved from another alias or store");
        }
        EntryRecord r = EntryRecord.parse(alias, row.der, storeId, 0);
        if (r.sealed.binding().keyEpoch() != row.epoch) {
            throw new StoreIntegrityException(Messages.alias(alias) + "the row's key_epoch is " + row.epoch
                    + " but the entry was sealed under key epoch " + r.sealed.binding().keyEpoch());
        }
        return r;
    }

    /** Remembers a record this instance wrote or authenticated; the one it replaces leaves the data-key cache. */
    void remember(String alias, Row row, EntryRecord record) {
        Verified old = rows.put(alias, new Verified(row, record));
        if (old != null && old.record != record) {
            cache.invalidate(old.record.sealed);
        }
        if (rows.size() > capacity) {
            evictOver(alias);
        }
    }

    /**
     * Drops entries until the map is within its capacity again. Under one lock, and until the size is right: when
     * writers raced to drop the same first entry, each dropping "one per insert" left the map growing by one per
     * lost race, without bound (a million writes from two threads ran a 512 MiB heap out of memory).
     */
    private synchronized void evictOver(String keep) {
        Iterator<Map.Entry<String, Verified>> it = rows.entrySet().iterator();
        while (rows.size() > capacity && it.hasNext()) {
            Map.Entry<String, Verified> e = it.next();
            if (!e.getKey().equals(keep) && rows.remove(e.getKey(), e.getValue())) {
                cache.invalidate(e.getValue().record.sealed);
            }
        }
    }

    /** The number of remembered rows. */
    int size() {
        return rows.size();
    }

    /** Forgets an alias (deleted, or gone from the database). */
    void forget(String alias) {
        Verified old = rows.remove(alias);
        if (old != null) {
            cache.invalidate(old.record.sealed);
        }
    }

    /** Forgets everything, and every remembered entry's data key. */
    void clear() {
        for (String alias : rows.keySet()) {
            forget(alias);
        }
    }
}
