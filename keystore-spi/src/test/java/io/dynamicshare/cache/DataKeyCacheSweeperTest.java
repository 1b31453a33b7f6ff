package io.dynamicshare.cache;

import io.dynamicshare.envelope.DataKey;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expired keys are zeroed by the shared sweeper even when nothing else calls the cache. */
class DataKeyCacheSweeperTest {
    private static final long TTL_MILLIS = 1_000;
    private static final long SWEEP_MILLIS = 10;

    /** A fake System.nanoTime() the test moves by hand. */
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private static byte[] freshKey() {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) 5);
        return k;
    }

    private DataKeyCache fakeClockCache(int maxEntries) {
        return new DataKeyCache(maxEntries, TTL_MILLIS, SWEEP_MILLIS, now::get);
    }

    private void advancePastTtl() {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(TTL_MILLIS) + 1);
    }

    /** Polls {@code condition} until it holds or {@code millis} pass; returns the time it took, or -1. */
    private static long within(long millis, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return -1;
            }
            Thread.sleep(1);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aPrimedKeyNeverTouchedAgainIsZeroedByTheSweeperOnceItExpires() throws Exception {
        DataKeyCache cache = fakeClockCache(10);
        Object entry = new Object();
        DataKey held = DataKey.generate();
        cache.prime(entry, held);
        DataKey cached = cache.withKey(entry, DataKeyCacheSweeperTest::freshKey, k -> k); // a hit: the primed copy
        assertNotEquals(held, cached);

        Thread.sleep(20 * SWEEP_MILLIS); // many sweeps, none of them past the TTL
        assertFalse(cached.isDestroyed(), "zeroed before its TTL");

        advancePastTtl(); // and nothing else calls the cache from here on
        long took = within(10_000, cached::isDestroyed);
        assertTrue(took >= 0, "an expired key was not zeroed without a cache call");
        // Bound: one sweep period (10 ms) after expiry; the slack is for a loaded build machine.
        assertTrue(took <= 10 * SWEEP_MILLIS + 2_000, "zeroed " + took + " ms after it expired");
        DataKeyCacheTest.assertZeroed(cached);
        assertFalse(held.isDestroyed(), "prime keeps a copy; the caller's key is the caller's");
        assertEquals(0, cache.stats().size());
        assertEquals(1, cache.stats().evictions());
    }

    @Test
    void anUnwrappedKeyIsZeroedWithinTtlPlusTheSweepPeriod() throws Exception {
        // The public constructor: sweep period min(ttl, 60 s), so the bound is 2 x ttl here.
        long ttl = 300;
        DataKeyCache cache = new DataKeyCache(10, ttl);
        byte[][] raw = new byte[1][];
        long start = System.nanoTime();
        DataKey key = cache.withKey(new Object(), () -> raw[0] = freshKey(), k -> k);
        long took = within(10_000, key::isDestroyed);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took >= 0, "an expired key was not zeroed without a cache call");
        assertTrue(elapsed >= ttl, "zeroed before its TTL: " + elapsed + " ms");
        // Bound: ttl + period = 600 ms; the slack is for a loaded build machine's scheduling.
        assertTrue(elapsed <= 2 * ttl + 3_000, "zeroed after " + elapsed + " ms");
        for (byte b : raw[0]) {
            assertEquals(0, b, "the array the unwrap returned is zeroed");
        }
    }

    @Test
    void aKeyInUseWhenItExpiresIsZeroedWhenItsReaderReturns() throws Exception {
        DataKeyCache cache = fakeClockCache(10);
        Object entry = new Object();
        CountDownLatch inUse = new CountDownLatch(1);
        CountDownLatch swept = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<DataKey> reader = pool.submit(() -> cache.withKey(entry, DataKeyCacheSweeperTest::freshKey, k -> {
                inUse.countDown();
                try {
                    swept.await();
                } catch (InterruptedException e) {
                    throw new java.security.GeneralSecurityException(e);
                }
                assertFalse(k.isDestroyed(), "the sweeper zeroed a key under its reader");
                assertEquals(5, k.getEncoded()[0]);
                return k;
            }));
            inUse.await();
            advancePastTtl();
            assertTrue(within(10_000, () -> cache.stats().size() == 0) >= 0, "the sweeper dropped the expired key");
            Thread.sleep(5 * SWEEP_MILLIS); // and swept again
            swept.countDown();
            DataKey key = reader.get(10, TimeUnit.SECONDS);
            assertTrue(key.isDestroyed(), "zeroed as soon as its reader returned");
            DataKeyCacheTest.assertZeroed(key);
            assertEquals(0, cache.stats().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneSharedDaemonSweeperWithoutAContextClassLoader() throws Exception {
        List<DataKeyCache> caches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            DataKeyCache c = fakeClockCache(10);
            c.prime(new Object(), DataKey.generate());
            caches.add(c);
        }
        List<Thread> sweepers = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(DataKeyCache.SWEEPER_THREAD_NAME)) {
                sweepers.add(t);
            }
        }
        assertEquals(1, sweepers.size(), "one sweeper thread for every cache: " + sweepers);
        Thread sweeper = sweepers.get(0);
        assertTrue(sweeper.isDaemon(), "the sweeper must not keep the JVM alive");
        assertNull(sweeper.getContextClassLoader(), "the sweeper must pin no class loader");
        assertEquals(5, caches.size());
    }

    @Test
    void aCacheNobodyReferencesIsCollectedAndItsKeysZeroed() throws Exception {
        DataKey[] keys = new DataKey[2];
        WeakReference<DataKeyCache> ref = abandonedCache(keys);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ref.get() != null && System.nanoTime() - deadline < 0) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the sweeper keeps an unused cache alive");
        for (DataKey k : keys) {
            assertTrue(within(10_000, k::isDestroyed) >= 0, "a collected cache's keys were not zeroed");
            DataKeyCacheTest.assertZeroed(k);
        }
    }

    /** A cache holding two keys, started sweeping, and referenced by nothing once this returns. */
    private static WeakReference<DataKeyCache> abandonedCache(DataKey[] keys) throws Exception {
        DataKeyCache cache = new DataKeyCache(10, 60_000, SWEEP_MILLIS, System::nanoTime);
        Object a = new Object();
        Object b = new Object();
        cache.prime(a, DataKey.generate());
        keys[0] = cache.withKey(a, DataKeyCacheSweeperTest::freshKey, k -> k);
        keys[1] = cache.withKey(b, DataKeyCacheSweeperTest::freshKey, k -> k);
        Thread.sleep(5 * SWEEP_MILLIS); // swept a few times: the sweeper knows it
        assertFalse(keys[0].isDestroyed() || keys[1].isDestroyed(), "not expired, not zeroed");
        return new WeakReference<>(cache);
    }

    @Test
    void hammeringWithAShortTtlNeverShowsAReaderADestroyedKey() throws Exception {
        // Expiry on access and the sweeper both drop keys that readers are using.
        DataKeyCache cache = new DataKeyCache(4, 2);
        List<Object> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(new Object());
        }
        AtomicLong bad = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int offset = t;
                workers.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_000);
                    for (int i = 0; i < 1_000_000 && System.nanoTime() - deadline < 0; i++) {
                        Object e = entries.get((i * 3 + offset) % entries.size());
                        try {
                            boolean ok = cache.withKey(e, DataKeyCacheSweeperTest::freshKey, k -> {
                                byte[] copy = k.getEncoded();
                                boolean intact = copy[0] == 5 && copy[31] == 5;
                                return intact && !k.isDestroyed();
                            });
                            if (!ok) {
                                bad.incrementAndGet();
                            }
                        } catch (Exception | Error x) {
                            bad.incrementAndGet();
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, bad.get(), "bad reads out of " + reads.get() + " (" + cache.stats() + ")");
        assertTrue(cache.stats().evictions() > 0, cache.stats().toString());
    }
}
