package io.dynamicshare.backend;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.StoreIntegrityException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.UUID;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A1 against the rows (docs/SECURITY.md): plain SQL, full write access to every table, every public key known, no
 * vault. Whatever it plants, edits, swaps or moves is refused by name (or, for the SQL-only columns, ignored), by a
 * warm instance and a fresh one alike, and every other wallet still reads.
 */
class RowForgeryAttackTest {
    @TempDir
    Path dir;
    DevStores dev;
    Target.Database db;
    KeyStore victim;
    KeyStore other;
    final Fixtures.Wallet a = Fixtures.WALLETS.get(0);
    final Fixtures.Wallet b = Fixtures.WALLETS.get(1);
    final Fixtures.Wallet c = Fixtures.WALLETS.get(3);

    @BeforeEach
    void stores() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        db = new Target.Database(dev);
        victim = db.newStore();
        other = db.newStore();
        for (Fixtures.Wallet w : new Fixtures.Wallet[] {a, b, c}) {
            victim.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        other.setEntry(a.alias(), WalletEntry.of(a.shares(), a.metadata()), null);
        victim.getKey(a.alias(), null); // warm: row and data key remembered
        victim.getKey(b.alias(), null);
    }

    private void sql(String statement, Object... args) throws Exception {
        try (Connection conn = db.dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private String storeOf(KeyStore ks) {
        return "(SELECT store_id FROM dynamicshare_store WHERE namespace = '" + db.namespace(ks) + "')";
    }

    /** Refused by name, with the integrity failure as cause, by the warm instance and by a fresh one. */
    private void refused(String alias, String... why) throws Exception {
        for (KeyStore ks : new KeyStore[] {victim, db.reopen(victim)}) {
            KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.getEntry(alias, null));
            assertContains(e.getMessage(), "alias '" + alias + "'");
            assertContains(e.getMessage(), why);
            assertInstanceOf(StoreIntegrityException.class, e.getCause(), e.toString());
        }
    }

    /** The wallets the attack did not touch still read, warm and fresh. */
    private void stillReads(Fixtures.Wallet... untouched) throws Exception {
        for (KeyStore ks : new KeyStore[] {victim, db.reopen(victim)}) {
            for (Fixtures.Wallet w : untouched) {
                assertArrayEquals(w.shares(), ks.getKey(w.alias(), null).getEncoded(), w.alias());
            }
        }
    }

    @Test
    void plantedRowsAreRefused() throws Exception {
        sql("INSERT INTO server_wallet_key_shares (id, store_id, alias, wallet_id, account_address, "
                + "encrypted_key_shares, encryption_key_id, entry_tag, key_epoch) SELECT ?, store_id, 'planted', "
                + "wallet_id, account_address, encrypted_key_shares, encryption_key_id, entry_tag, key_epoch FROM "
                + "server_wallet_key_shares WHERE alias = ? AND store_id = " + storeOf(victim), UUID.randomUUID(),
                b.alias());
        refused("planted", "entry tag does not verify");
        sql("INSERT INTO server_wallet_key_shares (id, store_id, alias, wallet_id, account_address, "
                + "encrypted_key_shares, encryption_key_id, entry_tag, key_epoch) SELECT ?, store_id, 'junk', 'w', 'a', "
                + "'\\x3000'::bytea, 'k', '\\x00'::bytea, 1 FROM dynamicshare_store WHERE namespace = ?",
                UUID.randomUUID(), db.namespace(victim));
        refused("junk", "entry tag does not verify");
        assertEquals(5, victim.size(), "planted rows are counted, never opened");
        stillReads(a, b, c);
    }

    /** A1 inflates a row (and a store key block) past the file format's bounds: refused by name, never fetched. */
    @Test
    void oversizedRowsAndBlocksAreRefusedUnread() throws Exception {
        sql("UPDATE server_wallet_key_shares SET encrypted_key_shares = encrypted_key_shares || "
                + "decode(repeat('00', 64 * 1024 * 1024), 'hex') WHERE alias = ? AND store_id = " + storeOf(victim),
                a.alias());
        refused(a.alias(), "larger than 64 MiB");
        sql("UPDATE dynamicshare_store_key SET store_key_block = store_key_block || "
                + "decode(repeat('00', 2 * 1024 * 1024), 'hex') WHERE store_id = " + storeOf(other));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> db.reopen(other)); // load refuses it
        assertContains(e.getMessage(), "store key block");
        stillReads(b, c);
    }

    @Test
    void editedDerOrTagIsRefused() throws Exception {
        sql("UPDATE server_wallet_key_shares SET encrypted_key_shares = overlay(encrypted_key_shares placing "
                + "'\\x00'::bytea from 200 for 1) WHERE alias = ?", a.alias());
        refused(a.alias(), "entry tag does not verify");
        sql("UPDATE server_wallet_key_shares SET entry_tag = overlay(entry_tag placing '\\xff'::bytea from 1 for 1) "
                + "WHERE alias = ? AND store_id = " + storeOf(victim), b.alias());
        refused(b.alias(), "entry tag does not verify");
        stillReads(c);
    }

    @Test
    void swappedRowsAreRefused() throws Exception {
        String store = storeOf(victim);
        sql("UPDATE server_wallet_key_shares t SET encrypted_key_shares = o.encrypted_key_shares, entry_tag = "
                + "o.entry_tag FROM server_wallet_key_shares o WHERE t.store_id = " + store + " AND o.store_id = "
                + store + " AND ((t.alias = ? AND o.alias = ?) OR (t.alias = ? AND o.alias = ?))",
                a.alias(), b.alias(), b.alias(), a.alias());
        refused(a.alias(), "entry tag does not verify");
        refused(b.alias(), "entry tag does not verify");
        stillReads(c);
    }

    @Test
    void aRowMovedToAnotherAliasIsRefused() throws Exception {
        sql("UPDATE server_wallet_key_shares SET alias = 'moved' WHERE alias = ? AND store_id = " + storeOf(victim),
                a.alias());
        refused("moved", "entry tag does not verify");
        assertNull(victim.getEntry(a.alias(), null), "deletion is not detected (docs/SECURITY.md)");
        stillReads(b, c);
    }

    @Test
    void rowsMovedOrReplayedBetweenStoresAreRefused() throws Exception {
        // replay: the other store's genuine row for the same alias over the victim's
        sql("UPDATE server_wallet_key_shares t SET encrypted_key_shares = o.encrypted_key_shares, entry_tag = "
                + "o.entry_tag, key_epoch = o.key_epoch FROM server_wallet_key_shares o WHERE t.alias = ? AND "
                + "o.alias = t.alias AND t.store_id = " + storeOf(victim) + " AND o.store_id = " + storeOf(other),
                a.alias());
        refused(a.alias(), "entry tag does not verify");
        // move: the victim's row for c into the other store
        sql("UPDATE server_wallet_key_shares SET store_id = " + storeOf(other) + " WHERE alias = ? AND store_id = "
                + storeOf(victim), c.alias());
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> db.reopen(other).getEntry(c.alias(), null));
        assertContains(e.getMessage(), "alias '" + c.alias() + "'", "entry tag does not verify");
        assertArrayEquals(a.shares(), db.reopen(other).getKey(a.alias(), null).getEncoded(), "the source still reads");
        stillReads(b);
    }

    @Test
    void aChangedKeyEpochIsRefused() throws Exception {
        sql("UPDATE server_wallet_key_shares SET key_epoch = 2 WHERE alias = ? AND store_id = " + storeOf(victim),
                a.alias());
        refused(a.alias(), "key_epoch is 2", "no store key block for key epoch 2");
        stillReads(b, c);
    }

    @Test
    void aForgedStoreKeyBlockIsRefused() throws Exception {
        // another store's genuine block, planted as the victim's next epoch, and the epoch moved to it
        sql("INSERT INTO dynamicshare_store_key (store_id, key_epoch, store_key_block) SELECT " + storeOf(victim)
                + ", 2, store_key_block FROM dynamicshare_store_key WHERE store_id = " + storeOf(other));
        sql("UPDATE dynamicshare_store SET key_epoch = 2 WHERE namespace = ?", db.namespace(victim));
        sql("UPDATE server_wallet_key_shares SET key_epoch = 2 WHERE alias = ? AND store_id = " + storeOf(victim),
                a.alias());
        KeyStoreException warm = assertThrows(KeyStoreException.class, () -> victim.getEntry(a.alias(), null));
        assertContains(warm.getMessage(), "alias '" + a.alias() + "'", "key_epoch is 2", "block of key epoch 1: it was moved");
        java.io.IOException load = assertThrows(java.io.IOException.class, () -> db.reopen(victim));
        assertContains(load.getMessage(), "key epoch 2", "moved");
        // the warm instance still reads the genuine rows of epoch 1 and refuses to write under the forged epoch
        assertArrayEquals(b.shares(), victim.getKey(b.alias(), null).getEncoded());
        assertContains(assertThrows(KeyStoreException.class, () -> victim.setEntry("new", WalletEntry.of(c.shares(),
                c.metadata()), null)).getMessage(), "alias 'new'", "key epoch 2", "moved");
        // garbage in the block of the current epoch: no fresh instance opens the store
        sql("UPDATE dynamicshare_store_key SET store_key_block = '\\x3003020101'::bytea WHERE store_id = "
                + storeOf(victim));
        assertContains(assertThrows(java.io.IOException.class, () -> db.reopen(victim)).getMessage(), "key epoch 2",
                "malformed");
        // a block re-labelled for epoch 2 (its DER epoch edited): unwraps, but names another purpose, store or epoch
        sql("UPDATE dynamicshare_store_key SET store_key_block = k.store_key_block FROM dynamicshare_store_key k "
                + "WHERE dynamicshare_store_key.store_id = " + storeOf(victim) + " AND k.store_id = " + storeOf(other));
        sql("UPDATE dynamicshare_store_key SET store_key_block = overlay(store_key_block placing '\\x02'::bytea "
                + "from position('\\x020101'::bytea in store_key_block) + 2 for 1) WHERE store_id = " + storeOf(victim) + " AND key_epoch = 2");
        assertContains(assertThrows(java.io.IOException.class, () -> db.reopen(victim)).getMessage(), "key epoch 2",
                "not genuine");
    }

    @Test
    void theSqlOnlyColumnsAreIgnoredOnRead() throws Exception {
        sql("UPDATE server_wallet_key_shares SET wallet_metadata = '{\"walletId\":\"evil\",\"accountAddress\":\"0xevil\"}', "
                + "wallet_id = 'evil', account_address = '0xevil', encryption_key_id = 'attacker-kek' WHERE alias = ?",
                a.alias());
        for (KeyStore ks : new KeyStore[] {victim, db.reopen(victim)}) {
            KeyStore.Entry e = ks.getEntry(a.alias(), null);
            assertEquals(new String(a.metadata(), StandardCharsets.UTF_8),
                    WalletAttributes.get(e, WalletAttributes.WALLET_METADATA), "the authenticated metadata wins");
            assertFalse(WalletAttributes.get(e, WalletAttributes.WALLET_ID).equals("evil"));
        }
        stillReads(a, b, c);
        try (Connection conn = db.dataSource.getConnection(); Statement s = conn.createStatement()) {
            s.execute("SELECT 1"); // the database itself is fine
        }
    }
}
