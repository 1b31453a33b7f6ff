package io.dynamicshare.attack;

import io.dynamicshare.backend.PostgresFixture;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreIntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * RED TEAM: A2 (holds the old KEK version v1) against a PostgreSQL store, after the compromise runbook.
 *
 * <p>A running application instance opened the store while it was at key epoch 1 (store key wrapped and signed by
 * v1). The operator rotates to v2 and runs {@code rekey} from another instance (the CLI) until nothing is behind:
 * epoch 2 under v2, every row re-sealed, the epoch-1 store key block deleted. docs/SECURITY.md section 5: "Once done,
 * nothing in the store depends on anything A2 has seen". But {@code EpochKeys} in every other instance keeps the
 * epoch-1 store key forever (only the instance whose {@code countBehind} deleted the blocks forgets it), so a row
 * that A2 tags with the epoch-1 store key (which A2 unwraps from a saved copy of the block with v1) and labels
 * {@code key_epoch = 1} passes the entry tag check in the warm instance, while a fresh instance refuses it (no block
 * for epoch 1). A2 plants a wallet the running application serves.
 *
 * <p>Failed before the fix (the warm instance returns A2's shares).
 */
class RedTeamDatabaseEpochKeyTest {
    @TempDir
    Path dir;

    @Test
    void aWarmInstanceForgetsTheStoreKeyOfAnEpochThatRekeyLeft() throws Exception {
        Victim victim = Victim.create(dir, "victim", WrapAlgorithm.RSA_OAEP_256);
        DataSource ds = PostgresFixture.dataSource(PostgresFixture.newDatabase(true));
        DatabaseStoreParameter store = DatabaseStoreParameter.of(ds, "payments");
        String v1 = victim.kekVersion();
        String v2 = victim.kekName + "/v2";

        // The application: kek = the key name (every version), running all along.
        DynamicShareKeyStore app = victim.newKeyStore();
        app.load(store);
        app.setEntry(Wallets.EVM.alias(), WalletEntry.of(Wallets.EVM.shares(), Wallets.EVM.metadata()), null);
        app.setEntry(Wallets.BTC.alias(), WalletEntry.of(Wallets.BTC.shares(), Wallets.BTC.metadata()), null);
        assertArrayEquals(Wallets.EVM.shares(), app.getKey(Wallets.EVM.alias(), null).getEncoded());

        // A1/A2 keeps old copies of the rows: the epoch-1 store key block, and the store id.
        byte[] block1 = bytes(ds, "SELECT store_key_block FROM dynamicshare_store_key WHERE key_epoch = 1");
        UUID storeUuid = (UUID) object(ds, "SELECT store_id FROM dynamicshare_store WHERE namespace = 'payments'");
        byte[] storeId = ByteBuffer.allocate(16).putLong(storeUuid.getMostSignificantBits())
                .putLong(storeUuid.getLeastSignificantBits()).array();

        // The runbook: v1 compromised; new version v2, pinned; v1 allowed only to read until the rekey is done.
        LocalDevKek.open(victim.kekFile, Victim.PASSWORD.toCharArray()).rotate(Victim.PASSWORD.toCharArray());
        Path runbook = victim.config("runbook.properties", p -> {
            p.setProperty("kek", v2);
            p.setProperty("kek.allow", v1);
            return p;
        });
        DynamicShareKeyStore ops = victim.newKeyStore(runbook);
        ops.load(store);
        while (ops.rekey(100) > 0) {
            // batches
        }
        ops.close();
        assertEquals(0L, object(ds, "SELECT count(*) FROM dynamicshare_store_key WHERE key_epoch = 1"),
                "rekey finished: the epoch-1 block is gone");
        assertEquals(2L, object(ds, "SELECT key_epoch FROM dynamicshare_store"));

        // ---- A2: unwraps the saved epoch-1 block with v1 and tags a planted row under that store key.
        PrivateKey v1Private = victim.insiderPrivateKey();
        StoreCrypto.Block b = StoreCrypto.Block.decode(block1);
        byte[] wrapped = AttackerCms.rsaOaepUnwrap(v1Private, AttackerCms.encryptedKey(b.recipients().get(0)));
        byte[] storeKey1 = Arrays.copyOf(wrapped, 32);
        A1 a2 = new A1(victim.publicKey(), v1);
        byte[] attackerShares = "{\"attacker\":\"shares\"}".getBytes(StandardCharsets.UTF_8);
        String alias = Wallets.SVM.alias();
        byte[] der = a2.entry(AttackerCms.Binding.v2(alias, Wallets.SVM.metadata(), storeId, 1), attackerShares);
        byte[] tag = StoreCrypto.entryTag(StoreCrypto.entryTagKey(storeKey1, storeId, 1), alias, der);
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement("INSERT INTO "
                + "server_wallet_key_shares (id, store_id, alias, wallet_id, account_address, encrypted_key_shares, "
                + "encryption_key_id, entry_tag, key_epoch) VALUES (?, ?, ?, 'w', 'a', ?, 'k', ?, 1)")) {
            s.setObject(1, UUID.randomUUID());
            s.setObject(2, storeUuid);
            s.setString(3, alias);
            s.setBytes(4, der);
            s.setBytes(5, tag);
            s.executeUpdate();
        }

        // A fresh instance refuses the planted row (no block for epoch 1)...
        DynamicShareKeyStore fresh = victim.newKeyStore();
        fresh.load(store);
        KeyStoreException freshRefusal = assertThrows(KeyStoreException.class, () -> fresh.getEntry(alias, null));
        assertInstanceOf(StoreIntegrityException.class, freshRefusal.getCause(), freshRefusal.toString());

        // ...and so must the application that has been running since epoch 1.
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> {
            KeyStore.Entry served = app.getEntry(alias, null);
            throw new AssertionError("planted row ACCEPTED by the warm instance after the rekey: shares="
                    + new String(((KeyStore.SecretKeyEntry) served).getSecretKey().getEncoded(),
                    StandardCharsets.UTF_8));
        });
        assertInstanceOf(StoreIntegrityException.class, e.getCause(), e.toString());
    }

    static byte[] bytes(DataSource ds, String sql) throws Exception {
        return (byte[]) object(ds, sql);
    }

    static Object object(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                throw new IllegalStateException("no row: " + sql);
            }
            return r.getObject(1);
        }
    }
}
