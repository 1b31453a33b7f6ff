package io.dynamicshare.it;

import io.dynamicshare.audit.JulAuditSink;
import io.dynamicshare.cache.DataKeyCache;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write never lands in a state a concurrent load has already replaced: setEntry reads the store's state under
 * the write lock, after the (possibly slow) wrap. Before, it read the state first, so a load finishing during
 * the wrap swallowed the write, which still reported success.
 */
class LoadDuringWriteTest {
    @TempDir
    Path dir;

    /** The development KEK, with a wrap of a data key that waits until the test lets it go. */
    static final class SlowWrapKek implements Kek {
        final Kek real;
        final CountDownLatch wrapping = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean slow;

        SlowWrapKek(Kek real) {
            this.real = real;
        }

        @Override
        public String keyName() {
            return real.keyName();
        }

        @Override
        public KekId newestVersion() throws KekException {
            return real.newestVersion();
        }

        @Override
        public WrappedKey wrap(byte[] key) throws KekException {
            if (slow && key.length == 32) {
                wrapping.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return real.wrap(key);
        }

        @Override
        public byte[] unwrap(WrappedKey wrapped) throws KekException {
            return real.unwrap(wrapped);
        }

        @Override
        public KekSignature sign(byte[] message) throws KekException {
            return real.sign(message);
        }

        @Override
        public boolean verify(KekId signer, byte[] message, byte[] signature) throws KekException {
            return real.verify(signer, message, signature);
        }
    }

    @Test
    void aWriteDuringALoadLandsInTheLoadedStore() throws Exception {
        DevStores keys = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        SlowWrapKek kek = new SlowWrapKek(keys.kek);
        DynamicShareKeyStore ks = new DynamicShareProvider(new StoreContext(StoreConfig.load(keys.configFile),
                reference -> kek, new DataKeyCache(10, 60_000), new JulAuditSink())).newKeyStore();
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        ks.load(null, null);
        ks.setEntry("before", WalletEntry.of(w.shares(), w.metadata()), null);
        byte[] file = DevStores.bytes(ks);

        kek.slow = true;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> write = pool.submit(() -> {
                ks.setEntry("during", WalletEntry.of(w.shares(), w.metadata()), null);
                return null;
            });
            assertTrue(kek.wrapping.await(10, TimeUnit.SECONDS), "the write reached its wrap");
            ks.load(new ByteArrayInputStream(file), null); // replaces the state while the write is in its wrap
            kek.release.countDown();
            write.get(10, TimeUnit.SECONDS); // acknowledged
        } finally {
            kek.release.countDown();
            pool.shutdownNow();
        }
        assertTrue(ks.containsAlias("during"), "the acknowledged write is in the store that is loaded now");
        assertTrue(ks.containsAlias("before"));
        assertTrue(DevStores.bytes(ks).length > file.length, "and it is stored");
    }
}
