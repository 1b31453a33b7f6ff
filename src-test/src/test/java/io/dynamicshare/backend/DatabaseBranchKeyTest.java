package io.dynamicshare.backend;

import io.dynamicshare.branchkey.BranchKeyCache;
import io.dynamicshare.branchkey.BranchKeyring;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.StoreMigration;
import io.dynamicshare.store.jdbc.JdbcBackend;
import io.dynamicshare.store.jdbc.JdbcSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Branch keys in a PostgreSQL store (schema version 2, {@code dynamicshare_branch_key}): hierarchical by default,
 * the blocks read once per instance (not once per cold read), a version another instance made found on demand,
 * two instances making one version at once keeping one block, the V1 to V2 upgrade, and migration both ways.
 */
class DatabaseBranchKeyTest {
    @TempDir
    Path dir;
    DevStores dev;
    Target.Database db;

    @BeforeEach
    void database() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256); // kek.mode unset: the backend's default
        db = new Target.Database(dev);
    }

    /**
     * An instance losing the insert race for a version to a row A1 planted there: the planted row is refused by
     * name, never taken for another instance's genuine version (docs/SECURITY.md section 9).
     */
    @Test
    void aPlantedRowWinningTheRaceIsRefusedByName() throws Exception {
        DatabaseStoreParameter p = DatabaseStoreParameter.of(db.dataSource, "payments");
        StoreContext ctx = StoreContext.of(StoreConfig.load(dev.configFile));
        JdbcBackend b = JdbcBackend.open(ctx, p);
        try {
            assertTrue(b.branchKeyBlocks().isEmpty());
            try (Connection c = db.dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "INSERT INTO dynamicshare_branch_key (store_id, version, block) VALUES ((SELECT store_id FROM "
                            + "dynamicshare_store WHERE namespace = 'payments'), 1, '\\x00'::bytea)")) {
                s.executeUpdate();
            }
            assertEquals(1, b.highestBranchKeyVersion(), "a refused row counts for the next version");
            BranchKeyring ring = new BranchKeyring(ctx.keks(), new BranchKeyCache(60_000));
            java.security.KeyStoreException e = assertThrows(java.security.KeyStoreException.class,
                    () -> ring.rotate(staleView(b, 0), ctx.keks().writeKek()));
            assertContains(e.getMessage(), "branch key v1");
            assertTrue(e.getCause() instanceof io.dynamicshare.store.StoreIntegrityException, String.valueOf(e));
            assertEquals(2, ring.rotate(b, ctx.keks().writeKek()), "without the race: past the planted row");
        } finally {
            b.close();
        }
    }

    /** More rows than a store file can hold (1024) are refused as a whole, after fetching at most one more. */
    @Test
    void moreBranchKeyRowsThanAFileHoldsAreRefused() throws Exception {
        DatabaseStoreParameter p = DatabaseStoreParameter.of(db.dataSource, "payments");
        StoreContext ctx = StoreContext.of(StoreConfig.load(dev.configFile));
        JdbcBackend b = JdbcBackend.open(ctx, p);
        try {
            try (Connection c = db.dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                    "INSERT INTO dynamicshare_branch_key (store_id, version, block) SELECT (SELECT store_id FROM "
                            + "dynamicshare_store WHERE namespace = 'payments'), v, '\\x00'::bytea "
                            + "FROM generate_series(1, 1025) v")) {
                s.executeUpdate();
            }
            java.security.KeyStoreException e = assertThrows(java.security.KeyStoreException.class,
                    b::highestBranchKeyVersion);
            assertContains(e.getMessage(), "more than 1024 branch key versions");
            assertTrue(e.getCause() instanceof io.dynamicshare.store.StoreIntegrityException, String.valueOf(e));
        } finally {
            b.close();
        }
    }

    /** {@code backend} as an instance sees it that read the table when its highest version was {@code highest}. */
    private static io.dynamicshare.branchkey.BranchKeyStorage staleView(JdbcBackend backend, long highest) {
        return new io.dynamicshare.branchkey.BranchKeyStorage() {
            @Override
            public byte[] storeId() throws java.security.KeyStoreException {
                return backend.storeId();
            }

            @Override
            public List<io.dynamicshare.storekey.StoreKeyBlock> branchKeyBlocks()
                    throws java.security.KeyStoreException {
                return backend.branchKeyBlocks();
            }

            @Override
            public io.dynamicshare.storekey.StoreKeyBlock branchKeyBlock(long version)
                    throws java.security.KeyStoreException {
                return backend.branchKeyBlock(version);
            }

            @Override
            public long highestBranchKeyVersion() {
                return highest;
            }

            @Override
            public boolean addBranchKeyBlock(io.dynamicshare.storekey.StoreKeyBlock block)
                    throws java.security.KeyStoreException {
                return backend.addBranchKeyBlock(block);
            }

            @Override
            public void replaceBranchKeyBlock(io.dynamicshare.storekey.StoreKeyBlock block)
                    throws java.security.KeyStoreException {
                backend.replaceBranchKeyBlock(block);
            }

            @Override
            public void removeBranchKeyBlock(long version) throws java.security.KeyStoreException {
                backend.removeBranchKeyBlock(version);
            }
        };
    }

    private long rows(String sql) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void readsBack(KeyStore ks, Fixtures.Wallet w) throws Exception {
        assertArrayEquals(w.shares(), ks.getKey(w.alias(), null).getEncoded(), w.alias());
    }

    private static BranchRecipient branchOf(DynamicShareKeyStore ks, String alias) throws Exception {
        return CmsEnvelope.parse(ks.entryDer(alias)).branchRecipient();
    }

    /** The same DataSource, counting the statements that read or write the branch key table. */
    private static DataSource counting(DataSource real, AtomicInteger branchKeyStatements) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                forward(real, (m, args) -> m.getName().equals("getConnection") ? (Connection) Proxy.newProxyInstance(
                        Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                        forward(m.invoke(real, args), (cm, cargs) -> {
                            if (cm.getName().equals("prepareStatement") && String.valueOf(cargs[0])
                                    .contains("dynamicshare_branch_key")) {
                                branchKeyStatements.incrementAndGet();
                            }
                            return null;
                        })) : null));
    }

    private interface Hook {
        Object before(java.lang.reflect.Method m, Object[] args) throws Exception;
    }

    private static InvocationHandler forward(Object target, Hook hook) {
        return (proxy, m, args) -> {
            Object replaced = hook.before(m, args);
            if (replaced != null) {
                return replaced;
            }
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }

    @Test
    void aDatabaseStoreIsHierarchicalByDefault() throws Exception {
        DynamicShareKeyStore ks = dev.provider.newKeyStore();
        ks.load(DatabaseStoreParameter.of(db.dataSource, "payments"));
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        BranchRecipient r = branchOf(ks, w.alias());
        assertNotNull(r, "wrapped under the branch key");
        assertEquals(1, r.version());
        assertTrue(CmsEnvelope.parse(ks.entryDer(w.alias())).recipients().isEmpty(), "no KEK recipient");
        assertEquals(1, rows("SELECT count(*) FROM dynamicshare_branch_key"));
        assertEquals(1, ks.inventory().branchKeys().activeVersion());
        assertTrue(ks.inventory().branchKeys().hierarchical());
    }

    @Test
    void coldReadsOfEveryWalletReadTheBranchKeyTableOnce() throws Exception {
        DynamicShareKeyStore writer = dev.provider.newKeyStore();
        writer.load(DatabaseStoreParameter.of(db.dataSource, "payments"));
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            writer.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        AtomicInteger statements = new AtomicInteger();
        DynamicShareKeyStore reader = dev.freshProvider().newKeyStore(); // empty caches: every read is cold
        reader.load(DatabaseStoreParameter.of(counting(db.dataSource, statements), "payments"));
        for (int round = 0; round < 3; round++) {
            for (Fixtures.Wallet w : Fixtures.WALLETS) {
                readsBack(reader, w);
            }
        }
        assertEquals(1, statements.get(), "one read of the branch key table for " + 3 * Fixtures.WALLETS.size()
                + " reads");
    }

    @Test
    void aVersionAnotherInstanceMadeIsFoundWhenAnEntryNamesIt() throws Exception {
        DynamicShareKeyStore one = dev.provider.newKeyStore();
        one.load(DatabaseStoreParameter.of(db.dataSource, "payments"));
        Fixtures.Wallet a = Fixtures.WALLETS.get(0);
        Fixtures.Wallet b = Fixtures.WALLETS.get(1);
        one.setEntry(a.alias(), WalletEntry.of(a.shares(), a.metadata()), null);
        DynamicShareKeyStore two = dev.freshProvider().newKeyStore();
        two.load(DatabaseStoreParameter.of(db.dataSource, "payments"));
        readsBack(two, a); // version 1 read and cached by instance two
        assertEquals(2, one.rotateBranchKey());
        one.setEntry(b.alias(), WalletEntry.of(b.shares(), b.metadata()), null);
        assertEquals(2, branchOf(one, b.alias()).version());
        readsBack(two, b); // version 2 is not in two's copy: read again, not refused
        readsBack(two, a);
    }

    @Test
    void twoInstancesMakingOneVersionAtOnceKeepOneBlock() throws Exception {
        DatabaseStoreParameter p = DatabaseStoreParameter.of(db.dataSource, "payments");
        StoreContext ctx1 = StoreContext.of(StoreConfig.load(dev.configFile));
        StoreContext ctx2 = StoreContext.of(StoreConfig.load(dev.configFile));
        JdbcBackend b1 = JdbcBackend.open(ctx1, p);
        JdbcBackend b2 = JdbcBackend.open(ctx2, p);
        try {
            assertTrue(b1.branchKeyBlocks().isEmpty());
            assertTrue(b2.branchKeyBlocks().isEmpty()); // both copies say: no version yet
            Kek kek = ctx1.keks().writeKek();
            BranchKeyring ring1 = new BranchKeyring(ctx1.keks(), new BranchKeyCache(60_000));
            BranchKeyring ring2 = new BranchKeyring(ctx2.keks(), new BranchKeyCache(60_000));
            assertEquals(1, ring1.rotate(b1, kek));
            // Instance two looked at the table before instance one's insert (the race): it aims at version 1 too;
            // the primary key refuses its block, and it checks and takes the winner's.
            assertEquals(1, ring2.rotate(staleView(b2, 0), kek));
            assertEquals(1, rows("SELECT count(*) FROM dynamicshare_branch_key"));
            assertArrayEquals(b1.branchKeyBlocks().get(0).encode(), b2.branchKeyBlocks().get(0).encode());
            byte[] dataKey = new byte[32];
            java.util.Arrays.fill(dataKey, (byte) 7);
            BranchRecipient r = ring2.wrap(b2, kek, dataKey, "wallet");
            assertArrayEquals(dataKey, ring1.unwrap(b1, b1.storeId(), r, "wallet"), "one key for both instances");
        } finally {
            b1.close();
            b2.close();
        }
        // The same race through the KeyStore API: two instances' first writes at once.
        DynamicShareKeyStore x = dev.provider.newKeyStore();
        x.load(DatabaseStoreParameter.of(db.dataSource, "race"));
        DynamicShareKeyStore y = dev.freshProvider().newKeyStore();
        y.load(DatabaseStoreParameter.of(db.dataSource, "race"));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> writes = new ArrayList<>();
            DynamicShareKeyStore[] stores = {x, y};
            for (int i = 0; i < 2; i++) {
                DynamicShareKeyStore ks = stores[i];
                Fixtures.Wallet w = Fixtures.WALLETS.get(i);
                writes.add(pool.submit(() -> {
                    go.await();
                    ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : writes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // One version, or two when the second writer read the table after the first one's insert (it then makes the
        // next version, also made by the newest KEK version); never a lost or overwritten block: both wallets read.
        long versions = rows("SELECT count(*) FROM dynamicshare_branch_key k JOIN dynamicshare_store s "
                + "ON s.store_id = k.store_id WHERE s.namespace = 'race'");
        assertTrue(versions == 1 || versions == 2, "branch key versions: " + versions);
        KeyStore fresh = dev.freshProvider().newKeyStore();
        fresh.load(DatabaseStoreParameter.of(db.dataSource, "race"));
        readsBack(fresh, Fixtures.WALLETS.get(0));
        readsBack(fresh, Fixtures.WALLETS.get(1));
    }

    @Test
    void aVersion1DatabaseIsRefusedByNameAndDbInitUpgradesIt() throws Exception {
        // The same KEK, configured as a direct-mode writer (what the previous release wrote).
        Properties direct = new Properties();
        try (var in = Files.newInputStream(dev.configFile)) {
            direct.load(in);
        }
        direct.setProperty("kek.mode", "direct");
        Path directConfig = dev.configFile.resolveSibling("direct.properties");
        try (var out = Files.newOutputStream(directConfig)) {
            direct.store(out, "direct mode");
        }
        DynamicShareKeyStore old = new io.dynamicshare.provider.DynamicShareProvider(
                StoreContext.of(StoreConfig.load(directConfig))).newKeyStore();
        old.load(DatabaseStoreParameter.of(db.dataSource, "payments"));
        Fixtures.Wallet a = Fixtures.WALLETS.get(0);
        old.setEntry(a.alias(), WalletEntry.of(a.shares(), a.metadata()), null);
        old.close();
        // What a database made by the previous release looks like: schema version 1, no branch key table.
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE dynamicshare_branch_key");
            s.execute("DELETE FROM dynamicshare_schema WHERE version = 2");
        }
        DynamicShareKeyStore refused = dev.freshProvider().newKeyStore();
        assertContains(assertThrows(Exception.class, () -> refused.load(DatabaseStoreParameter.of(db.dataSource,
                "payments"))).getMessage(), "schema version 1", "db init");
        JdbcSchema.init(db.dataSource);
        assertEquals(2, rows("SELECT max(version) FROM dynamicshare_schema"));
        DynamicShareKeyStore upgraded = dev.freshProvider().newKeyStore();
        upgraded.load(DatabaseStoreParameter.of(db.dataSource, "payments"));
        readsBack(upgraded, a); // the direct-mode row reads as before
        Fixtures.Wallet b = Fixtures.WALLETS.get(1);
        upgraded.setEntry(b.alias(), WalletEntry.of(b.shares(), b.metadata()), null);
        assertNotNull(branchOf(upgraded, b.alias()), "new writes are hierarchical");
        assertNull(branchOf(upgraded, a.alias()));
        assertEquals(0, upgraded.rewrap(null, 100), "rewrap moves the old row to the branch key");
        assertNotNull(branchOf(upgraded, a.alias()));
        assertTrue(JdbcSchema.script().contains("dynamicshare_branch_key"), "db schema prints both scripts");
    }

    @Test
    void migrationCarriesBranchKeyBlocksBothWays() throws Exception {
        Properties h = new Properties();
        h.setProperty("kek.mode", "hierarchical");
        DevStores hdev = new DevStores(dir.resolve("h"), WrapAlgorithm.AES_KW_256, h);
        DynamicShareKeyStore file = hdev.provider.newKeyStore();
        file.load(null, null);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            file.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        file.rotateBranchKey();
        Fixtures.Wallet late = Fixtures.WALLETS.get(0);
        file.setEntry(late.alias(), WalletEntry.of(late.shares(), late.metadata()), null); // under version 2
        DynamicShareKeyStore loaded = hdev.freshProvider().newKeyStore();
        loaded.load(new ByteArrayInputStream(DevStores.bytes(file)), null);
        DatabaseStoreParameter p = DatabaseStoreParameter.of(db.dataSource, "moved");
        StoreMigration.Result r = StoreMigration.fileToDatabase(loaded, p, null);
        assertEquals(Fixtures.WALLETS.size(), r.written);
        assertEquals(2, rows("SELECT count(*) FROM dynamicshare_branch_key"));
        assertEquals(0, StoreMigration.fileToDatabase(loaded, p, null).written, "a rerun finds everything there");

        DynamicShareKeyStore inDb = hdev.freshProvider().newKeyStore();
        inDb.load(p);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            readsBack(inDb, w);
        }
        assertEquals(2, branchOf(inDb, late.alias()).version());

        Path back = dir.resolve("back.dsks");
        StoreMigration.databaseToFile(inDb, back, null);
        DynamicShareKeyStore again = hdev.freshProvider().newKeyStore();
        again.load(new ByteArrayInputStream(Files.readAllBytes(back)), null);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            readsBack(again, w);
        }
        assertEquals(2, again.inventory().branchKeys().anchors().size());
        assertFalse(again.inventory().branchKeys().anchors().isEmpty());
    }
}
