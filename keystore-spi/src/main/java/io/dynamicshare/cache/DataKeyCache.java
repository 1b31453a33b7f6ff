package io.dynamicshare.cache;

import io.dynamicshare.envelope.DataKey;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * Unwrapped data keys, shared by concurrent readers: bounded by count and age, zeroed when dropped.
 * Concurrent misses of one entry share a single unwrap (single flight). With {@code maxEntries == 0}
 * nothing is cached and every use unwraps, then zeroes the key.
 *
 * <p>Entries are keyed by object identity: the store passes its parsed entry object, which is replaced
 * whenever the entry changes, so a stale key can never be served for a new entry.
 *
 * <pre>{@code
 * byte[] shares = cache.withKey(entry, () -> kek.unwrap(wrapped), dek -> CmsEnvelope.open(entry, dek));
 * }</pre>
 */
public final class DataKeyCache {
    /** Produces a data key (a new array the cache takes ownership of). */
    public interface Unwrapper {
        byte[] unwrap() throws GeneralSecurityException;
    }

    /** Uses a data key; must not keep it. */
    public interface KeyUse<T> {
        T apply(DataKey key) throws GeneralSecurityException;
    }

    private final int maxEntries;
    private final long ttlNanos;
    private final Map<Object, Slot> slots = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder unwrapCalls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder evictions = new LongAdder();

    /**
     * @param maxEntries most keys held at once; 0 turns caching off
     * @param ttlMillis  how long a key may be served after it was unwrapped
     */
    public DataKeyCache(int maxEntries, long ttlMillis) {
        if (maxEntries < 0 || ttlMillis <= 0) {
            throw new IllegalArgumentException("cache maxEntries must be >= 0 and ttl > 0");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlMillis * 1_000_000L;
    }

    /** A slot: completed once, by the thread that won the race to unwrap. */
    private static final class Slot {
        final CountDownLatch done = new CountDownLatch(1);
        final long loadedAt = System.nanoTime();
        volatile DataKey key;
        volatile GeneralSecurityException failure;

        DataKey await() throws GeneralSecurityException {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            return key;
        }
    }

    /** Runs {@code use} with the entry's data key, unwrapping it at most once for concurrent callers. */
    public <T> T withKey(Object entry, Unwrapper unwrapper, KeyUse<T> use) throws GeneralSecurityException {
        if (maxEntries == 0) {
            misses.increment();
            DataKey key = DataKey.adopt(unwrap(unwrapper));
            try {
                return use.apply(key);
            } finally {
                key.destroy();
            }
        }
        for (int attempt = 0; ; attempt++) {
            DataKey key = acquire(entry, unwrapper);
            try {
                return use.apply(key);
            } catch (GeneralSecurityException | IllegalStateException e) {
                // Evicted and zeroed by another thread while we used it: unwrap again, once.
                if (key.isDestroyed() && attempt == 0) {
                    continue;
                }
                throw e;
            }
        }
    }

    private DataKey acquire(Object entry, Unwrapper unwrapper) throws GeneralSecurityException {
        Slot current = slots.get(entry);
        if (current != null && current.done.getCount() == 0 && current.failure == null
                && !expired(current) && !current.key.isDestroyed()) {
            hits.increment();
            return current.key;
        }
        misses.increment();
        if (current != null && current.done.getCount() > 0) {
            return current.await();
        }
        Slot mine = new Slot();
        boolean won = current == null ? slots.putIfAbsent(entry, mine) == null : slots.replace(entry, current, mine);
        if (!won) {
            Slot other = slots.get(entry);
            return other != null ? other.await() : acquire(entry, unwrapper);
        }
        if (current != null) {
            drop(current);
        }
        try {
            mine.key = DataKey.adopt(unwrap(unwrapper));
        } catch (GeneralSecurityException e) {
            mine.failure = e;
            slots.remove(entry, mine);
            throw e;
        } finally {
            mine.done.countDown();
        }
        enforceBounds();
        return mine.key;
    }

    private byte[] unwrap(Unwrapper unwrapper) throws GeneralSecurityException {
        unwrapCalls.increment();
        try {
            return unwrapper.unwrap();
        } catch (GeneralSecurityException | RuntimeException e) {
            errors.increment();
            throw e;
        }
    }

    private boolean expired(Slot s) {
        return System.nanoTime() - s.loadedAt > ttlNanos;
    }

    /** Drops expired keys, then the oldest until the count fits. Runs only after a miss. */
    private void enforceBounds() {
        for (Map.Entry<Object, Slot> e : slots.entrySet()) {
            Slot s = e.getValue();
            if (s.done.getCount() == 0 && expired(s) && slots.remove(e.getKey(), s)) {
                drop(s);
            }
        }
        while (slots.size() > maxEntries) {
            Map.Entry<Object, Slot> oldest = null;
            for (Map.Entry<Object, Slot> e : slots.entrySet()) {
                if (e.getValue().done.getCount() == 0
                        && (oldest == null || e.getValue().loadedAt < oldest.getValue().loadedAt)) {
                    oldest = e;
                }
            }
            if (oldest == null) {
                return;
            }
            if (slots.remove(oldest.getKey(), oldest.getValue())) {
                drop(oldest.getValue());
            }
        }
    }

    private void drop(Slot s) {
        if (s.key != null) {
            s.key.destroy();
            evictions.increment();
        }
    }

    /**
     * Caches a copy of a key the caller already holds (a freshly written entry's), so that reading the
     * entry back costs no unwrap. Does nothing when caching is off.
     */
    public void prime(Object entry, DataKey key) {
        if (maxEntries == 0) {
            return;
        }
        Slot s = new Slot();
        s.key = DataKey.adopt(key.getEncoded());
        s.done.countDown();
        Slot previous = slots.put(entry, s);
        if (previous != null) {
            drop(previous);
        }
        enforceBounds();
    }

    /** Forgets (and zeroes) the key of an entry that was replaced or deleted. */
    public void invalidate(Object entry) {
        Slot s = slots.remove(entry);
        if (s != null) {
            drop(s);
        }
    }

    /** Forgets and zeroes every key. */
    public void clear() {
        for (Object entry : slots.keySet()) {
            invalidate(entry);
        }
    }

    public CacheStats stats() {
        return new CacheStats(hits.sum(), misses.sum(), unwrapCalls.sum(), errors.sum(), evictions.sum(), slots.size());
    }
}
