package io.dynamicshare.backend;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.file.FileBackend;
import io.dynamicshare.store.jdbc.JdbcBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What a migration from a file store builds on: a database store created with the file's store id and store key
 * block, and entries written verbatim (same DER, so the same entry versions), readable through the KeyStore API.
 */
class VerbatimRowsTest {
    @TempDir
    Path dir;

    @Test
    void aFileStoreMovesRowByRowWithItsStoreIdAndKeyBlock() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Target.Database db = new Target.Database(dev);
        KeyStore file = dev.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            file.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        StoreContext ctx = StoreContext.of(StoreConfig.load(dev.configFile));
        FileBackend source = FileBackend.load(ctx, new ByteArrayInputStream(DevStores.bytes(file)), 0);
        DatabaseStoreParameter target = DatabaseStoreParameter.of(db.dataSource, "moved");
        JdbcBackend dest = JdbcBackend.create(ctx, target, source.storeId(), source.storeKeyBlock());
        source.forEachRecord(r -> dest.putVerbatim(r.alias, CmsEnvelope.encode(r.sealed)));
        assertEquals(4, dest.size());
        assertContains(assertThrows(KeyStoreException.class, () -> dest.putVerbatim("other-alias",
                CmsEnvelope.encode(source.record(Fixtures.WALLETS.get(0).alias()).sealed))).getMessage(),
                "alias 'other-alias'", "bound to another alias");
        assertContains(assertThrows(KeyStoreException.class, () -> JdbcBackend.create(ctx, target, source.storeId(),
                source.storeKeyBlock())).getMessage(), "already holds a store named 'moved'");
        dest.close();

        DynamicShareKeyStore ks = dev.freshProvider().newKeyStore();
        ks.load(target);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            assertArrayEquals(w.shares(), ks.getKey(w.alias(), null).getEncoded(), w.alias());
            assertEquals(source.record(w.alias()).sealed.version(), ks.attributes(w.alias()).stream()
                    .filter(a -> a.getName().endsWith("entryVersion")).findFirst().orElseThrow().getValue(),
                    "the same entry, byte for byte");
        }
    }
}
