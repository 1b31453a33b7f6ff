package io.dynamicshare.cache;

import io.dynamicshare.envelope.DataKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * Many threads read many entries through a cache far smaller than the working set, so nearly every read
 * evicts a key another thread may be using. No reader may ever see a destroyed (or half-zeroed) key: every
 * read must decrypt its entry, and no exception may escape.
 */
class DataKeyCacheHammerTest {
    private static final int THREADS = 8;
    private static final int ENTRIES = 50;
    private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);
    private static final int MAX_READS_PER_THREAD = 2_000_000;

    /** An entry: its own AES-256 key (what the KEK would unwrap) and a GCM ciphertext under it. */
    private static final class Entry {
        final int index;
        final byte[] key = new byte[32];
        final byte[] nonce = new byte[12];
        final byte[] ciphertext;
        final byte[] plaintext;

        Entry(int index) throws GeneralSecurityException {
            this.index = index;
            Arrays.fill(key, (byte) (index + 1));
            key[0] = (byte) index;
            nonce[0] = (byte) index;
            plaintext = ("wallet shares of entry " + index).getBytes(StandardCharsets.UTF_8);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            ciphertext = c.doFinal(plaintext);
        }

        /** A new copy each call: the cache owns (and zeroes) what an unwrap returns. */
        byte[] unwrap() {
            return key.clone();
        }

        byte[] open(DataKey dek) throws GeneralSecurityException {
            byte[] k = dek.getEncoded();
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(128, nonce));
                return c.doFinal(ciphertext);
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        }
    }

    @ParameterizedTest(name = "maxEntries={0}")
    @ValueSource(ints = {1, 2})
    void readersNeverSeeADestroyedKey(int maxEntries) throws Exception {
        DataKeyCache cache = new DataKeyCache(maxEntries, 60_000);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            entries.add(new Entry(i));
        }
        Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        AtomicLong destroyedInUse = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                final int offset = t * 7;
                workers.add(pool.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + RUN_NANOS;
                    for (int i = 0; i < MAX_READS_PER_THREAD && System.nanoTime() - deadline < 0; i++) {
                        Entry e = entries.get((i * 13 + offset) % ENTRIES);
                        try {
                            byte[] plain = cache.withKey(e, e::unwrap, dek -> {
                                byte[] p = e.open(dek);
                                if (dek.isDestroyed()) {
                                    destroyedInUse.incrementAndGet();
                                }
                                return p;
                            });
                            if (!Arrays.equals(e.plaintext, plain)) {
                                failures.computeIfAbsent("wrong plaintext", k -> new AtomicLong()).incrementAndGet();
                            }
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
            for (Future<?> w : workers) {
                w.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        CacheStats stats = cache.stats();
        System.out.println("hammer maxEntries=" + maxEntries + ": " + reads.get() + " reads, " + stats);
        assertEquals(Map.of(), snapshot(failures), "failed reads out of " + reads.get() + " (" + stats + ")");
        assertEquals(0, destroyedInUse.get(), "keys destroyed while a reader used them");
        assertTrue(reads.get() > 200, "the hammer ran: " + reads.get() + " reads");
        assertTrue(stats.evictions() > 0, "the tiny cache evicted: " + stats);
        assertTrue(stats.size() <= maxEntries, "the count bound holds once readers are done: " + stats);
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
