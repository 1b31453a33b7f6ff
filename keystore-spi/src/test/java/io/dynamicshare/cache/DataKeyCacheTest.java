package io.dynamicshare.cache;

import io.dynamicshare.envelope.DataKey;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataKeyCacheTest {
    private final AtomicInteger unwraps = new AtomicInteger();

    private DataKeyCache.Unwrapper unwrapper() {
        return () -> {
            unwraps.incrementAndGet();
            byte[] k = new byte[32];
            java.util.Arrays.fill(k, (byte) 7);
            return k;
        };
    }

    static void assertZeroed(DataKey key) throws Exception {
        assertTrue(key.isDestroyed());
        Field f = DataKey.class.getDeclaredField("key");
        f.setAccessible(true);
        for (byte b : (byte[]) f.get(key)) {
            assertEquals(0, b, "data key bytes zeroed");
        }
        assertThrows(IllegalStateException.class, key::getEncoded);
    }

    @Test
    void cachingOffUnwrapsEveryTimeAndZeroesAfterUse() throws Exception {
        DataKeyCache cache = new DataKeyCache(0, 60_000);
        List<DataKey> used = new ArrayList<>();
        Object entry = new Object();
        for (int i = 0; i < 3; i++) {
            cache.withKey(entry, unwrapper(), k -> used.add(k));
        }
        assertEquals(3, unwraps.get());
        for (DataKey k : used) {
            assertZeroed(k);
        }
        assertEquals(0, cache.stats().size());
    }

    @Test
    void hitsReuseOneKey() throws Exception {
        DataKeyCache cache = new DataKeyCache(10, 60_000);
        Object entry = new Object();
        DataKey first = cache.withKey(entry, unwrapper(), k -> k);
        for (int i = 0; i < 100; i++) {
            assertSame(first, cache.withKey(entry, unwrapper(), k -> k));
        }
        CacheStats s = cache.stats();
        assertEquals(1, unwraps.get());
        assertEquals(1, s.unwrapCalls());
        assertEquals(100, s.hits());
        assertEquals(1, s.misses());
    }

    @Test
    void concurrentColdReadsShareOneUnwrap() throws Exception {
        DataKeyCache cache = new DataKeyCache(10, 60_000);
        Object entry = new Object();
        CountDownLatch inUnwrap = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DataKeyCache.Unwrapper slow = () -> {
            unwraps.incrementAndGet();
            inUnwrap.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new GeneralSecurityException(e);
            }
            return new byte[32];
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DataKey>> f = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                f.add(pool.submit(() -> cache.withKey(entry, slow, k -> k)));
            }
            inUnwrap.await();
            Thread.sleep(200); // let the other seven arrive and wait on the first
            release.countDown();
            DataKey key = f.get(0).get();
            for (Future<DataKey> x : f) {
                assertSame(key, x.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, unwraps.get());
        assertEquals(1, cache.stats().unwrapCalls());
    }

    @Test
    void countBoundEvictsOldestAndZeroesIt() throws Exception {
        DataKeyCache cache = new DataKeyCache(2, 60_000);
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        DataKey ka = cache.withKey(a, unwrapper(), k -> k);
        Thread.sleep(2);
        cache.withKey(b, unwrapper(), k -> k);
        Thread.sleep(2);
        cache.withKey(c, unwrapper(), k -> k);
        assertZeroed(ka);
        assertEquals(2, cache.stats().size());
        assertEquals(1, cache.stats().evictions());
    }

    @Test
    void expiredKeysAreDroppedZeroedAndUnwrappedAgain() throws Exception {
        DataKeyCache cache = new DataKeyCache(10, 20);
        Object entry = new Object();
        DataKey first = cache.withKey(entry, unwrapper(), k -> k);
        Thread.sleep(40);
        DataKey second = cache.withKey(entry, unwrapper(), k -> k);
        assertFalse(first == second);
        assertZeroed(first);
        assertEquals(2, unwraps.get());
    }

    @Test
    void invalidateAndClearZero() throws Exception {
        DataKeyCache cache = new DataKeyCache(10, 60_000);
        Object a = new Object();
        Object b = new Object();
        DataKey ka = cache.withKey(a, unwrapper(), k -> k);
        DataKey kb = cache.withKey(b, unwrapper(), k -> k);
        cache.invalidate(a);
        assertZeroed(ka);
        cache.clear();
        assertZeroed(kb);
        assertEquals(0, cache.stats().size());
    }

    @Test
    void failedUnwrapIsCountedAndNotCached() {
        DataKeyCache cache = new DataKeyCache(10, 60_000);
        Object entry = new Object();
        DataKeyCache.Unwrapper failing = () -> {
            throw new GeneralSecurityException("vault said no");
        };
        assertThrows(GeneralSecurityException.class, () -> cache.withKey(entry, failing, k -> k));
        assertThrows(GeneralSecurityException.class, () -> cache.withKey(entry, failing, k -> k));
        assertEquals(2, cache.stats().errors());
        assertEquals(0, cache.stats().size());
    }

    @Test
    void aKeyDroppedWhileInUseIsZeroedOnlyWhenItsUseEnds() throws Exception {
        DataKeyCache cache = new DataKeyCache(10, 60_000);
        Object entry = new Object();
        AtomicInteger attempts = new AtomicInteger();
        DataKey used = cache.withKey(entry, unwrapper(), k -> {
            attempts.incrementAndGet();
            cache.invalidate(entry); // another thread drops it mid-use
            assertFalse(k.isDestroyed(), "zeroed under its reader");
            assertEquals(32, k.getEncoded().length); // still usable: no exception, no retry
            assertEquals(0, cache.stats().size(), "gone from the cache at once");
            return k;
        });
        assertEquals(1, attempts.get());
        assertEquals(1, unwraps.get());
        assertZeroed(used); // by the reader's return
        assertEquals(1, cache.stats().evictions());
    }

    @Test
    void aKeyEvictedForSizeWhileInUseIsZeroedOnlyWhenItsUseEnds() throws Exception {
        DataKeyCache cache = new DataKeyCache(1, 60_000);
        Object a = new Object();
        Object b = new Object();
        DataKey[] seen = new DataKey[2];
        cache.withKey(a, unwrapper(), ka -> {
            seen[0] = ka;
            cache.withKey(b, unwrapper(), kb -> seen[1] = kb); // loading b evicts a, which is in use
            assertFalse(ka.isDestroyed(), "evicted key zeroed under its reader");
            ka.getEncoded();
            return null;
        });
        assertZeroed(seen[0]);
        assertFalse(seen[1].isDestroyed());
        assertSame(seen[1], cache.withKey(b, unwrapper(), k -> k));
        assertEquals(1, cache.stats().size());
    }

    @Test
    void readersJoiningAnUnwrapKeepTheKeyEvenIfItIsDroppedBeforeTheyUseIt() throws Exception {
        DataKeyCache cache = new DataKeyCache(10, 60_000);
        Object entry = new Object();
        CountDownLatch inUnwrap = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DataKeyCache.Unwrapper slow = () -> {
            inUnwrap.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new GeneralSecurityException(e);
            }
            byte[] k = new byte[32];
            java.util.Arrays.fill(k, (byte) 9);
            return k;
        };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch joined = new CountDownLatch(3);
            CountDownLatch used = new CountDownLatch(1);
            List<Future<Boolean>> f = new ArrayList<>();
            f.add(pool.submit(() -> cache.withKey(entry, slow, k -> {
                try {
                    used.await();
                } catch (InterruptedException e) {
                    throw new GeneralSecurityException(e);
                }
                return !k.isDestroyed() && k.getEncoded()[0] == 9;
            })));
            inUnwrap.await();
            for (int i = 0; i < 3; i++) {
                f.add(pool.submit(() -> {
                    joined.countDown();
                    return cache.withKey(entry, slow, k -> !k.isDestroyed() && k.getEncoded()[0] == 9);
                }));
            }
            joined.await();
            Thread.sleep(100); // let them reach the in-flight slot
            cache.invalidate(entry); // dropped while still being unwrapped
            release.countDown();
            used.countDown();
            for (Future<Boolean> x : f) {
                assertTrue(x.get(10, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void primeCachesACopyOfAKeyTheCallerHolds() throws Exception {
        DataKeyCache cache = new DataKeyCache(10, 60_000);
        Object entry = new Object();
        DataKey held = DataKey.generate();
        cache.prime(entry, held);
        held.destroy();
        DataKey cached = cache.withKey(entry, unwrapper(), k -> k);
        assertFalse(cached.isDestroyed());
        assertEquals(0, unwraps.get());
        new DataKeyCache(0, 1).prime(new Object(), DataKey.generate()); // caching off: a no-op
    }
}
