package io.dynamicshare.backend;

import io.dynamicshare.it.DevStores;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DatabaseStoreParameter;

import java.security.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Where the contract suite's stores live: a file, or a PostgreSQL database. */
abstract class Target {
    final DevStores dev;

    Target(DevStores dev) {
        this.dev = dev;
    }

    /** A new, empty store. */
    abstract KeyStore newStore() throws Exception;

    /** What {@code ks} holds, through a new instance with its own, empty data-key cache. */
    abstract KeyStore reopen(KeyStore ks) throws Exception;

    /** Everything the storage holds, comparable with equals: what "a failed write changes nothing" compares. */
    abstract Object snapshot(KeyStore ks) throws Exception;

    /** The order {@code aliases()} lists aliases written in {@code written} order. */
    abstract List<String> aliasOrder(List<String> written);

    /** The file container: in memory until stored; aliases in insertion order. */
    static final class File extends Target {
        File(DevStores dev) {
            super(dev);
        }

        @Override
        KeyStore newStore() throws Exception {
            KeyStore ks = dev.provider.newKeyStore();
            ks.load(null, null);
            return ks;
        }

        @Override
        KeyStore reopen(KeyStore ks) throws Exception {
            KeyStore again = dev.freshProvider().newKeyStore();
            again.load(new java.io.ByteArrayInputStream(DevStores.bytes(ks)), null);
            return again;
        }

        @Override
        Object snapshot(KeyStore ks) throws Exception {
            return java.nio.ByteBuffer.wrap(DevStores.bytes(ks));
        }

        @Override
        List<String> aliasOrder(List<String> written) {
            return written;
        }
    }

    /** A PostgreSQL database of its own; every new store a new namespace in it. Aliases in the column's order. */
    static final class Database extends Target {
        private static final AtomicInteger NAMESPACES = new AtomicInteger();
        final String database;
        final javax.sql.DataSource dataSource;
        private final java.util.Map<KeyStore, String> namespaces = new java.util.IdentityHashMap<>();

        Database(DevStores dev) throws Exception {
            super(dev);
            this.database = PostgresFixture.newDatabase(true);
            this.dataSource = PostgresFixture.dataSource(database);
        }

        @Override
        KeyStore newStore() throws Exception {
            return open("ns-" + NAMESPACES.incrementAndGet(), dev.provider);
        }

        KeyStore open(String namespace, DynamicShareProvider provider) throws Exception {
            KeyStore ks = provider.newKeyStore();
            ks.load(DatabaseStoreParameter.of(dataSource, namespace));
            namespaces.put(ks, namespace);
            return ks;
        }

        String namespace(KeyStore ks) {
            return namespaces.get(ks);
        }

        @Override
        KeyStore reopen(KeyStore ks) throws Exception {
            return open(namespaces.get(ks), dev.freshProvider());
        }

        @Override
        Object snapshot(KeyStore ks) throws Exception {
            List<String> out = new ArrayList<>();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT alias, encrypted_key_shares, entry_tag, key_epoch, row_version, wallet_metadata::text "
                            + "FROM server_wallet_key_shares ORDER BY store_id, alias")) {
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1) + "|" + HexFormat.of().formatHex(r.getBytes(2)) + "|"
                                + HexFormat.of().formatHex(r.getBytes(3)) + "|" + r.getLong(4) + "|" + r.getLong(5)
                                + "|" + r.getString(6));
                    }
                }
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT s.store_id, s.key_epoch, k.key_epoch, k.store_key_block FROM dynamicshare_store s "
                            + "JOIN dynamicshare_store_key k ON k.store_id = s.store_id ORDER BY 1, 3")) {
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1) + "|" + r.getLong(2) + "|" + r.getLong(3) + "|"
                                + HexFormat.of().formatHex(r.getBytes(4)));
                    }
                }
            }
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT store_id, version, block FROM dynamicshare_branch_key ORDER BY 1, 2")) {
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add("branch|" + r.getString(1) + "|" + r.getLong(2) + "|"
                                + HexFormat.of().formatHex(r.getBytes(3)));
                    }
                }
            }
            return out;
        }

        @Override
        List<String> aliasOrder(List<String> written) {
            return written.stream().sorted(this::compareInDatabase).toList();
        }

        /** The database's collation decides the order of aliases(). */
        private int compareInDatabase(String a, String b) {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "SELECT CAST(? AS varchar) < CAST(? AS varchar), CAST(? AS varchar) = CAST(? AS varchar)")) {
                s.setString(1, a);
                s.setString(2, b);
                s.setString(3, a);
                s.setString(4, b);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getBoolean(2) ? 0 : r.getBoolean(1) ? -1 : 1;
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
