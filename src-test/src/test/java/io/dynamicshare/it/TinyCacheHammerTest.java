package io.dynamicshare.it;

import io.dynamicshare.cache.CacheStats;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent getEntry through the real KeyStore API, with a data-key cache far smaller than the set of
 * aliases read (cache.maxEntries=1 or 2, 50 aliases): nearly every read evicts a key another thread is
 * using. Every read must return the exact shares, and no exception may escape (the tracker's report: an
 * unchecked "IllegalStateException: data key was destroyed").
 */
class TinyCacheHammerTest {
    private static final int THREADS = 6;
    private static final int ALIASES = 50;
    private static final long RUN_MILLIS = 1_200;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "cache.maxEntries={0}")
    @ValueSource(ints = {1, 2})
    void everyReadReturnsItsSharesWhateverTheCacheSize(int maxEntries) throws Exception {
        Properties config = new Properties();
        config.setProperty("cache.maxEntries", Integer.toString(maxEntries));
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256, config);
        KeyStore setup = dev.newStore();
        List<String> aliases = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < ALIASES; i++) {
            Fixtures.Wallet w = Fixtures.WALLETS.get(i % Fixtures.WALLETS.size());
            String alias = "wallet-" + i;
            setup.setEntry(alias, WalletEntry.of(w.shares(), w.metadata()), null);
            aliases.add(alias);
            expected.add(w.shares());
        }
        KeyStore ks = dev.open(DevStores.bytes(setup));
        CacheStats before = dev.provider.dataKeyCacheStats();

        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        AtomicLong reads = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int offset = t * 11;
                readers.add(pool.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
                    for (int i = 0; i < 1_000_000 && System.nanoTime() - deadline < 0; i++) {
                        int a = (i * 7 + offset) % ALIASES;
                        try {
                            var e = (KeyStore.SecretKeyEntry) ks.getEntry(aliases.get(a), null);
                            if (!Arrays.equals(expected.get(a), e.getSecretKey().getEncoded())) {
                                failures.computeIfAbsent("wrong shares", k -> new AtomicLong()).incrementAndGet();
                            }
                            e.getSecretKey().destroy();
                        } catch (Exception | Error x) {
                            failures.computeIfAbsent(x.getClass().getName() + ": " + x.getMessage(),
                                    k -> new AtomicLong()).incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> r : readers) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        CacheStats after = dev.provider.dataKeyCacheStats();
        System.out.println("getEntry hammer cache.maxEntries=" + maxEntries + ": " + reads.get() + " reads, " + after);
        Map<String, Long> summary = new TreeMap<>();
        failures.forEach((k, v) -> summary.put(k, v.get()));
        assertEquals(Map.of(), summary, "failed getEntry calls out of " + reads.get() + " (cache " + after + ")");
        assertTrue(reads.get() >= 50, "the hammer ran: " + reads.get() + " reads");
        assertTrue(after.evictions() - before.evictions() > 0, "the tiny cache evicted keys in use: " + after);
        assertTrue(after.size() <= maxEntries, "cache.maxEntries holds: " + after);
    }
}
