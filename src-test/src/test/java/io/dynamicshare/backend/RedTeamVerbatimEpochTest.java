package io.dynamicshare.backend;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.jdbc.JdbcBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * RED TEAM: "whatever a write accepts, a read returns". {@link JdbcBackend#putVerbatim} checks the entry's key epoch
 * against the instance's cached epoch once, then {@code put} retries after {@code EPOCH_MOVED} with the same sealed
 * entry: the retry's upsert is conditioned on the new store epoch, but the row keeps the entry's old epoch and a tag
 * under the old store key, which this instance still holds in memory. When another instance finished a rekey
 * meanwhile (epoch 2, epoch-1 block deleted), the row lands under a deleted epoch: no instance can read it again,
 * and every later rekey/verify/migration stops on it (data loss in the database; the migration reports success).
 *
 * <p>Failed before the fix (putVerbatim succeeds; a fresh reader then refuses the row).
 */
class RedTeamVerbatimEpochTest {
    @TempDir
    Path dir;

    @Test
    void putVerbatimNeverWritesARowUnderAnEpochThatRekeyDeleted() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Target.Database db = new Target.Database(dev);
        Fixtures.Wallet a = Fixtures.WALLETS.get(0);
        KeyStore ks = db.open("ns", dev.provider);
        ks.setEntry(a.alias(), WalletEntry.of(a.shares(), a.metadata()), null);
        byte[] epoch1Der;
        try (Connection c = db.dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT encrypted_key_shares FROM server_wallet_key_shares WHERE alias = ?")) {
            s.setString(1, a.alias());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                epoch1Der = r.getBytes(1);
            }
        }

        // A migration (or resumed migration) target opened at epoch 1...
        StoreContext ctx = StoreContext.of(StoreConfig.load(dev.configFile));
        JdbcBackend dest = JdbcBackend.open(ctx, DatabaseStoreParameter.of(db.dataSource, "ns"));
        // ...while another instance runs a full rekey: epoch 2, the epoch-1 block deleted.
        DynamicShareKeyStore ops = (DynamicShareKeyStore) db.reopen(ks);
        while (ops.rekey(100) > 0) {
            // batches
        }

        KeyStoreException refused = null;
        try {
            dest.putVerbatim(a.alias(), epoch1Der);
        } catch (KeyStoreException e) {
            refused = e;
        } finally {
            dest.close();
        }
        if (refused == null) {
            String reader;
            try {
                assertArrayEquals(a.shares(), db.reopen(ks).getKey(a.alias(), null).getEncoded());
                reader = "reads it";
            } catch (Exception e) {
                reader = "refuses it: " + e.getMessage();
            }
            String rekey;
            try {
                ((DynamicShareKeyStore) db.reopen(ks)).rekey(100);
                rekey = "runs";
            } catch (Exception e) {
                rekey = "fails: " + e.getMessage();
            }
            fail("putVerbatim ACCEPTED an epoch-1 entry into a store at epoch 2 whose epoch-1 block is deleted; a "
                    + "fresh reader " + reader + "; rekey " + rekey);
        }
        assertContains(refused.getMessage(), "alias '" + a.alias() + "'", "key epoch");
        assertArrayEquals(a.shares(), db.reopen(ks).getKey(a.alias(), null).getEncoded(), "the row stays readable");
    }
}
