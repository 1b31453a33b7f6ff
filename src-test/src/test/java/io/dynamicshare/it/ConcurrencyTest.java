package io.dynamicshare.it;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One loaded KeyStore serves concurrent getEntry calls from many request threads, while another
 * thread writes other aliases and stores the whole store.
 */
class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void readersAlwaysSeeExactSharesWhileAWriterWorks() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        KeyStore setup = dev.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            setup.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        KeyStore ks = dev.open(DevStores.bytes(setup));
        ExecutorService pool = Executors.newFixedThreadPool(9);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int offset = t;
                readers.add(pool.submit(() -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < 300; i++) {
                        Fixtures.Wallet w = Fixtures.WALLETS.get((i + offset) % Fixtures.WALLETS.size());
                        var e = (KeyStore.SecretKeyEntry) ks.getEntry(w.alias(), null);
                        if (Arrays.equals(w.shares(), e.getSecretKey().getEncoded())) {
                            ok++;
                        }
                        e.getSecretKey().destroy();
                    }
                    return ok;
                }));
            }
            Future<Integer> writer = pool.submit(() -> {
                start.await();
                Fixtures.Wallet w = Fixtures.WALLETS.get(2);
                int stores = 0;
                for (int i = 0; i < 40; i++) {
                    ks.setEntry("extra-" + (i % 5), WalletEntry.of(w.shares(), w.metadata()), null);
                    if (i % 3 == 0) {
                        ks.deleteEntry("extra-" + ((i + 1) % 5));
                    }
                    ks.store(new ByteArrayOutputStream(), null);
                    stores++;
                }
                return stores;
            });
            start.countDown();
            for (Future<Integer> r : readers) {
                assertEquals(300, r.get(60, TimeUnit.SECONDS));
            }
            assertEquals(40, writer.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        KeyStore reloaded = dev.open(DevStores.bytes(ks));
        assertTrue(reloaded.size() >= Fixtures.WALLETS.size());
        assertEquals(ks.size(), reloaded.size());
    }
}
