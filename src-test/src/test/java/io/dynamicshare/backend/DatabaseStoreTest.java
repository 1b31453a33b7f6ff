package io.dynamicshare.backend;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.jdbc.JdbcSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a database store does differently from a file store: the PKCS#11-like semantics, opening, configuration. */
class DatabaseStoreTest {
    @TempDir
    Path dir;
    DevStores dev;
    Target.Database db;
    final Fixtures.Wallet w = Fixtures.WALLETS.get(0);

    @BeforeEach
    void database() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        db = new Target.Database(dev);
    }

    private long query(String sql) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void writesGoThroughAndStoreHasNothingLeftToWrite() throws Exception {
        KeyStore one = db.newStore();
        KeyStore two = db.reopen(one);
        one.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        assertArrayEquals(w.shares(), two.getKey(w.alias(), null).getEncoded(), "seen by another instance at once");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        one.store(out, null);
        assertEquals(0, out.size(), "store() writes nothing: the row is committed already");
        one.store(DatabaseStoreParameter.of(db.dataSource, db.namespace(one)));
        two.deleteEntry(w.alias());
        assertFalse(one.containsAlias(w.alias()));
        assertEquals(0, query("SELECT count(*) FROM server_wallet_key_shares"));
    }

    @Test
    void loadReadsNoRowAndAliasesStreamWithoutHoldingAConnection() throws Exception {
        KeyStore ks = db.newStore();
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        int planted = 2345;
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
            // rows that would fail authentication: a load that read rows would fail on them
            s.execute("INSERT INTO server_wallet_key_shares (id, store_id, alias, wallet_id, account_address, "
                    + "encrypted_key_shares, encryption_key_id, entry_tag, key_epoch) SELECT md5(i::text)::uuid, "
                    + "store_id, 'row-' || lpad(i::text, 5, '0'), 'w', 'a', '\\x00'::bytea, 'k', '\\x00'::bytea, 1 "
                    + "FROM dynamicshare_store, generate_series(1, " + planted + ") i WHERE namespace = '"
                    + db.namespace(ks) + "'");
        }
        // one pooled connection: iterating while reading an entry only works if no page holds it
        DynamicShareKeyStore small = dev.freshProvider().newKeyStore();
        small.load(DatabaseStoreParameter.url(PostgresFixture.url(db.database), db.namespace(ks)).withUser("postgres")
                .withPoolSize(1).withTimeoutSeconds(5));
        assertEquals(planted + 1, small.size());
        List<String> seen = new ArrayList<>();
        for (var it = small.aliases(); it.hasMoreElements(); ) {
            seen.add(it.nextElement());
            if (seen.size() % 1000 == 1) {
                assertArrayEquals(w.shares(), small.getKey(w.alias(), null).getEncoded());
            }
        }
        assertEquals(planted + 1, seen.size());
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no alias twice");
        assertEquals(db.aliasOrder(seen), seen, "in the database's order");
        assertContains(assertThrows(java.security.KeyStoreException.class, () -> small.getEntry("row-00007", null))
                .getMessage(), "alias 'row-00007'", "entry tag does not verify");
        small.close();
        assertContains(assertThrows(IllegalStateException.class, small::size).getMessage(), "not loaded");
    }

    @Test
    void twoInstancesCreatingOneNamespaceMakeOneStore() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<KeyStore>> opened = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DynamicShareProvider p = dev.freshProvider();
            opened.add(pool.submit((Callable<KeyStore>) () -> db.open("raced", p)));
        }
        List<KeyStore> stores = new ArrayList<>();
        for (Future<KeyStore> f : opened) {
            stores.add(f.get());
        }
        pool.shutdown();
        assertEquals(1, query("SELECT count(*) FROM dynamicshare_store WHERE namespace = 'raced'"));
        assertEquals(1, query("SELECT count(*) FROM dynamicshare_store_key"));
        stores.get(0).setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        for (KeyStore ks : stores) {
            assertArrayEquals(w.shares(), ks.getKey(w.alias(), null).getEncoded(), "one store, seen by all");
        }
    }

    @Test
    void aReadOnlyInstanceCannotCreateAStore() throws Exception {
        DynamicShareKeyStore ks = new DynamicShareProvider(StoreContext.of(StoreConfig.empty())).newKeyStore();
        IOException e = assertThrows(IOException.class, () -> ks.load(DatabaseStoreParameter.of(db.dataSource,
                "missing")));
        assertContains(e.getMessage(), "no store named 'missing'", "read-only");
        assertEquals(0, query("SELECT count(*) FROM dynamicshare_store"));
    }

    @Test
    void aMissingOrUnknownSchemaIsRefused() throws Exception {
        String bare = PostgresFixture.newDatabase(false);
        DynamicShareKeyStore ks = dev.provider.newKeyStore();
        assertContains(assertThrows(IOException.class, () -> ks.load(DatabaseStoreParameter.of(
                PostgresFixture.dataSource(bare), "ns"))).getMessage(), "no DynamicShare schema", "db init");
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO dynamicshare_schema (version) VALUES (99)");
        }
        assertContains(assertThrows(IOException.class, () -> ks.load(DatabaseStoreParameter.of(db.dataSource, "ns")))
                .getMessage(), "schema version 99", "does not know");
        assertContains(assertThrows(SQLException.class, () -> JdbcSchema.init(db.dataSource)).getMessage(),
                "schema version 99");
        JdbcSchema.init(PostgresFixture.dataSource(bare));
        JdbcSchema.init(PostgresFixture.dataSource(bare)); // idempotent
        ks.load(DatabaseStoreParameter.of(PostgresFixture.dataSource(bare), "ns"));
        assertEquals(0, ks.size());
    }

    /**
     * A servlet's pattern: a plain KeyStore per request, {@code load(null, null)} on the configured database, never
     * closed. Twenty of them share one pool and one access-flush thread (before, each kept its own of both, and a
     * shutdown hook), and they still count every read.
     */
    @Test
    void plainKeyStoresDroppedWithoutCloseLeaveNoThreadsBehind() throws Exception {
        Properties p = new Properties();
        p.load(Files.newBufferedReader(dev.configFile));
        p.setProperty("db.url", PostgresFixture.url(db.database));
        p.setProperty("db.user", "postgres");
        p.setProperty("db.namespace", "per-request");
        p.setProperty("db.poolSize", "2");
        p.setProperty("db.accessFlushSeconds", "1");
        DynamicShareProvider provider = new DynamicShareProvider(StoreContext.of(StoreConfig.of(p, dir, "test")));
        KeyStore first = provider.newKeyStore();
        first.load(null, null);
        first.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        // Kept reachable until the counts are in: a store collected before its next flush loses its pending counts
        // (README, "Access tracking").
        java.util.List<KeyStore> open = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            KeyStore ks = provider.newKeyStore(); // what getInstance + load(null, null) in a request does
            ks.load(null, null);
            assertArrayEquals(w.shares(), ks.getKey(w.alias(), null).getEncoded());
            open.add(ks);
        }
        assertEquals(1, threads("dynamicshare-db-access-flush"), "one flush thread for every store");
        // One HikariCP pool runs at most three threads (housekeeper, connection adder, closer); 21 pools ran 21+.
        assertTrue(threads("dynamicshare-db-pool-") <= 3,
                "one pool for every store of one configuration: " + threads("dynamicshare-db-pool-") + " pool threads");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (query("SELECT coalesce(sum(s.access_count), 0) FROM server_wallet_key_shares s JOIN dynamicshare_store d "
                + "ON d.store_id = s.store_id WHERE d.namespace = 'per-request'") < 20 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(20L, query("SELECT coalesce(sum(s.access_count), 0) FROM server_wallet_key_shares s JOIN "
                + "dynamicshare_store d ON d.store_id = s.store_id WHERE d.namespace = 'per-request'"),
                "the background flush still counts the reads of stores never closed");
        assertEquals(20, open.size());
    }

    private static int threads(String prefix) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void theConfigurationOpensTheDatabaseOnLoadNull() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("db.password"), "not-used-by-trust-auth\n");
        Properties p = new Properties();
        p.load(Files.newBufferedReader(dev.configFile));
        p.setProperty("db.url", PostgresFixture.url(db.database));
        p.setProperty("db.user", "postgres");
        p.setProperty("db.passwordFile", passwordFile.toString());
        p.setProperty("db.namespace", "configured");
        p.setProperty("db.poolSize", "2");
        p.setProperty("db.accessTracking", "sync");
        StoreConfig config = StoreConfig.of(p, dir, "test");
        try (DynamicShareKeyStore ks = new DynamicShareProvider(StoreContext.of(config)).newKeyStore()) {
            ks.load(null, null);
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
            assertArrayEquals(w.shares(), ks.getKey(w.alias(), null).getEncoded());
            assertFalse(config.toString().contains("not-used-by-trust-auth"));
        }
        assertEquals(1, query("SELECT count(*) FROM server_wallet_key_shares s JOIN dynamicshare_store d ON "
                + "d.store_id = s.store_id WHERE d.namespace = 'configured' AND s.access_count = 1"));
        Properties bad = new Properties();
        bad.setProperty("db.url", "jdbc:postgresql://localhost/x?password=secret");
        assertContains(assertThrows(ConfigException.class, () -> StoreConfig.of(bad, dir, "bad")).getMessage(),
                "must not carry a password");
        bad.setProperty("db.url", "jdbc:postgresql://localhost/x");
        bad.setProperty("db.accessTracking", "sometimes");
        assertContains(assertThrows(ConfigException.class, () -> StoreConfig.of(bad, dir, "bad")).getMessage(),
                "db.accessTracking must be");
    }

    @Test
    void theDataKeyCacheStaysCorrectWhenAnotherInstanceReplacesARow() throws Exception {
        DynamicShareKeyStore one = (DynamicShareKeyStore) db.newStore();
        one.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        DynamicShareKeyStore reader = (DynamicShareKeyStore) db.reopen(one);
        assertArrayEquals(w.shares(), reader.getKey(w.alias(), null).getEncoded());
        assertArrayEquals(w.shares(), reader.getKey(w.alias(), null).getEncoded());
        assertEquals(1, reader.cacheStats().unwrapCalls(), "a warm read of an unchanged row hits the cache");
        WalletUpdates.applyShareRefresh(one, w.alias(), Fixtures.read("evm-2of2/refresh-wallet-account-shares"
                + ".return.json"), null);
        byte[] refreshed = one.getKey(w.alias(), null).getEncoded();
        assertFalse(Arrays.equals(w.shares(), refreshed));
        assertArrayEquals(refreshed, reader.getKey(w.alias(), null).getEncoded(), "the replaced row is read anew");
        assertEquals(2, reader.cacheStats().unwrapCalls());
    }

    @Test
    void aFinishedRekeyLeavesOnlyTheCurrentStoreKey() throws Exception {
        DynamicShareKeyStore ks = (DynamicShareKeyStore) db.newStore();
        for (Fixtures.Wallet x : Fixtures.WALLETS) {
            ks.setEntry(x.alias(), WalletEntry.of(x.shares(), x.metadata()), null);
        }
        KeyStore other = db.reopen(ks);
        assertEquals(3, ks.rekey(1));
        assertEquals(2, query("SELECT count(*) FROM dynamicshare_store_key"), "epoch 1 is kept while rows use it");
        Fixtures.Wallet x = Fixtures.WALLETS.get(2);
        other.setEntry(x.alias(), WalletEntry.of(x.shares(), x.metadata()), null); // another instance, old epoch known
        assertEquals(2, query("SELECT count(DISTINCT key_epoch) FROM server_wallet_key_shares"));
        while (ks.rekey(10) > 0) {
            // resumes
        }
        assertEquals(1, query("SELECT count(*) FROM dynamicshare_store_key"));
        assertEquals(2, query("SELECT min(key_epoch) FROM server_wallet_key_shares"));
        for (Fixtures.Wallet y : Fixtures.WALLETS) {
            assertArrayEquals(y.shares(), db.reopen(ks).getKey(y.alias(), null).getEncoded());
            assertArrayEquals(y.shares(), other.getKey(y.alias(), null).getEncoded());
        }
        assertTrue(db.reopen(ks) != null);
    }
}
