package io.dynamicshare.backend;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DatabaseStoreParameter.AccessTracking;
import io.dynamicshare.store.DynamicShareKeyStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The storage guide's access_count and last_accessed_at: batched (the default), synchronous, or off. */
class AccessTrackingTest {
    @TempDir
    Path dir;
    DevStores dev;
    Target.Database db;
    final Fixtures.Wallet w = Fixtures.WALLETS.get(0);

    @BeforeEach
    void store() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        db = new Target.Database(dev);
        var seed = dev.provider.newKeyStore();
        seed.load(DatabaseStoreParameter.of(db.dataSource, "tracked"));
        seed.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        seed.close();
    }

    private DynamicShareKeyStore open(AccessTracking mode) throws Exception {
        DynamicShareKeyStore ks = dev.freshProvider().newKeyStore();
        ks.load(DatabaseStoreParameter.of(db.dataSource, "tracked").withAccessTracking(mode, 3600));
        return ks;
    }

    private long count() throws Exception {
        try (Connection c = db.dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT access_count, last_accessed_at FROM server_wallet_key_shares WHERE alias = ?")) {
            s.setString(1, w.alias());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                long n = r.getLong(1);
                if (n > 0) {
                    assertNotNull(r.getTimestamp(2));
                } else {
                    assertNull(r.getTimestamp(2));
                }
                return n;
            }
        }
    }

    @Test
    void batchedCountsReachTheTableAtCloseNotOnTheReadPath() throws Exception {
        DynamicShareKeyStore ks = open(AccessTracking.BATCHED);
        for (int i = 0; i < 3; i++) {
            ks.getKey(w.alias(), null);
        }
        ks.containsAlias(w.alias()); // not an access of the shares
        assertEquals(0, count(), "no write on the read path");
        ks.close();
        assertEquals(3, count());
        DynamicShareKeyStore again = open(AccessTracking.BATCHED);
        again.getEntry(w.alias(), null);
        again.close();
        assertEquals(4, count(), "counts add up across instances");
    }

    @Test
    void syncCountsEveryReadAtOnce() throws Exception {
        DynamicShareKeyStore ks = open(AccessTracking.SYNC);
        ks.getKey(w.alias(), null);
        ks.getKey(w.alias(), null);
        assertEquals(2, count());
        ks.close();
        assertEquals(2, count());
    }

    @Test
    void offWritesNothing() throws Exception {
        DynamicShareKeyStore ks = open(AccessTracking.OFF);
        ks.getKey(w.alias(), null);
        ks.close();
        assertEquals(0, count());
    }
}
