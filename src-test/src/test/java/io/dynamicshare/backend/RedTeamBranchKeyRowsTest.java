package io.dynamicshare.backend;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.storekey.StoreKeyBlock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red team, branch key rows (docs/SECURITY.md sections 8 and 9): A1 writes {@code dynamicshare_branch_key} with plain
 * SQL. A2 is A1 plus an old KEK version, hence the branch key versions that version anchored.
 */
class RedTeamBranchKeyRowsTest {
    @TempDir
    Path dir;
    DevStores dev;
    Target.Database db;
    DynamicShareKeyStore victim;
    final Fixtures.Wallet a = Fixtures.WALLETS.get(0);
    final Fixtures.Wallet b = Fixtures.WALLETS.get(1);

    @BeforeEach
    void stores() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256); // kek.mode unset: a database is hierarchical
        db = new Target.Database(dev);
        victim = dev.provider.newKeyStore();
        victim.load(DatabaseStoreParameter.of(db.dataSource, "payments"));
        victim.setEntry(a.alias(), WalletEntry.of(a.shares(), a.metadata()), null);
        victim.setEntry(b.alias(), WalletEntry.of(b.shares(), b.metadata()), null);
    }

    /**
     * Failed before the fix. After a compromise (A2 read branch key v1: its block was wrapped by the old KEK version, or an instance's memory
     * was read), {@code rekey} must leave no entry under a branch key A2 has seen: "rekey draws a fresh version,
     * re-seals every entry under it and then removes the old versions". A1 inserts one junk row at the version the
     * rekey will create. The rekey's insert then conflicts, {@code BranchKeyring.rotate} takes the conflict for
     * another instance's win and returns as if the version were new, the junk row is left out of the version list,
     * so v1 stays the active version: every entry is re-sealed under a fresh data key wrapped under v1 again, and
     * the rekey reports success (0 behind). A2 still opens every wallet. Now the next version is one more than the
     * highest row, refused rows included (v3 here), a lost insert is accepted only for a genuine block made by the
     * newest KEK version, and rekey checks that the active version is new and so made.
     */
    @Test
    void aJunkRowAtTheNextVersionMustNotMakeRekeyKeepTheCompromisedBranchKey() throws Exception {
        byte[] compromised = StoreKeyBlock.decode(block(1)).commitment();
        sql("INSERT INTO dynamicshare_branch_key (store_id, version, block) VALUES ((SELECT store_id FROM "
                + "dynamicshare_store WHERE namespace = 'payments'), 2, '\\x00'::bytea)");
        DynamicShareKeyStore operator = dev.freshProvider().newKeyStore();
        operator.load(DatabaseStoreParameter.of(db.dataSource, "payments"));
        int behind;
        try {
            behind = operator.rekey(100);
        } catch (KeyStoreException refused) {
            // Acceptable: the rekey refuses, naming the row, instead of claiming success.
            assertContains(messages(refused), "branch key v2");
            return;
        }
        assertTrue(behind == 0, "one batch re-seals both wallets");
        for (Fixtures.Wallet w : new Fixtures.Wallet[] {a, b}) {
            BranchRecipient r = CmsEnvelope.parse(operator.entryDer(w.alias())).branchRecipient();
            assertNotNull(r, w.alias());
            byte[] used = block(r.version());
            assertNotNull(used, "the version " + w.alias() + " names is held");
            assertNotEquals(HexFormat.of().formatHex(compromised),
                    HexFormat.of().formatHex(StoreKeyBlock.decode(used).commitment()),
                    w.alias() + " is re-sealed under branch key v" + r.version() + ", the very key A2 holds: the rekey "
                            + "left A2 every wallet");
        }
    }

    /**
     * Failed before the fix. docs/SECURITY.md section 8: "Rows and blocks over the file format's bounds (64 MiB, 1 MiB) are refused without
     * being fetched" (EpochKeys bounds the store key block in its SELECT). BranchKeyRows fetches every row of the
     * store's branch key table whole, with no bound on a block's size or on the number of rows: one inflated row
     * (PostgreSQL allows 1 GB per bytea) is fetched by every instance at its first hierarchical read or write, an
     * OutOfMemoryError for the whole JVM instead of a refusal naming the version. Now the SELECT hands back an empty
     * block for one over 1 MiB (refused by name) and fetches at most 1025 rows.
     */
    @Test
    void anInflatedBranchKeyRowIsNotFetched() throws Exception {
        sql("INSERT INTO dynamicshare_branch_key (store_id, version, block) VALUES ((SELECT store_id FROM "
                + "dynamicshare_store WHERE namespace = 'payments'), 7, decode(repeat('00', 8 * 1024 * 1024), 'hex'))");
        AtomicLong fetched = new AtomicLong();
        DynamicShareKeyStore fresh = dev.freshProvider().newKeyStore();
        fresh.load(DatabaseStoreParameter.of(measuring(db.dataSource, fetched), "payments"));
        assertArrayEquals(a.shares(), fresh.getKey(a.alias(), null).getEncoded(), "v1's wallets still read");
        assertTrue(fetched.get() <= 1024 * 1024, "bytes fetched from dynamicshare_branch_key: " + fetched.get()
                + " (an 8 MiB row, over the 1 MiB block bound)");
    }

    private void sql(String statement) throws Exception {
        try (Connection c = db.dataSource.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            s.executeUpdate();
        }
    }

    private byte[] block(long version) throws Exception {
        try (Connection c = db.dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT k.block FROM dynamicshare_branch_key k JOIN dynamicshare_store s ON s.store_id = k.store_id "
                        + "WHERE s.namespace = 'payments' AND k.version = ?")) {
            s.setLong(1, version);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        }
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append(" / ");
        }
        return b.toString();
    }

    /** The same DataSource, adding up the bytes that statements on the branch key table hand back. */
    private static DataSource measuring(DataSource real, AtomicLong bytes) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                forward(real, (target, m, args) -> {
                    Object result = m.invoke(target, args);
                    if (!m.getName().equals("getConnection")) {
                        return result;
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            forward(result, (c, cm, cargs) -> {
                                Object st = cm.invoke(c, cargs);
                                if (!cm.getName().equals("prepareStatement")
                                        || !String.valueOf(cargs[0]).contains("dynamicshare_branch_key")) {
                                    return st;
                                }
                                return Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                                        new Class<?>[] {PreparedStatement.class}, forward(st, (s, sm, sargs) -> {
                                            Object rs = sm.invoke(s, sargs);
                                            if (!sm.getName().equals("executeQuery")) {
                                                return rs;
                                            }
                                            return Proxy.newProxyInstance(ResultSet.class.getClassLoader(),
                                                    new Class<?>[] {ResultSet.class}, forward(rs, (r, rm, rargs) -> {
                                                        Object v = rm.invoke(r, rargs);
                                                        if (v instanceof byte[]) {
                                                            bytes.addAndGet(((byte[]) v).length);
                                                        }
                                                        return v;
                                                    }));
                                        }));
                            }));
                }));
    }

    private interface Call {
        Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable;
    }

    private static InvocationHandler forward(Object target, Call call) {
        return (proxy, m, args) -> {
            try {
                return call.invoke(target, m, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }
}
