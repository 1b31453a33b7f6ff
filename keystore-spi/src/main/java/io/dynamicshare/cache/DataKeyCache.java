package io.dynamicshare.cache;

import io.dynamicshare.envelope.DataKey;

import java.security.GeneralSecurityException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Unwrapped data keys, shared by concurrent readers: bounded by count and age, zeroed when dropped.
 * Concurrent misses of one entry share a single unwrap (single flight). With {@code maxEntries == 0}
 * nothing is cached and every use unwraps, then zeroes the key.
 *
 * <p>Entries are keyed by object identity: the store passes its parsed entry object, which is replaced
 * whenever the entry changes, so a stale key can never be served for a new entry.
 *
 * <p>Cost: a hit is a map lookup. Bookkeeping runs only after a miss or a {@link #prime} and is amortised
 * O(1) whatever the number of cached keys: keys are kept in load order, so the expired ones and the oldest
 * ones are at the head of that queue.
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
    /** Every slot put into {@link #slots}, oldest first; removed ones linger until the head or a compaction. */
    private final ConcurrentLinkedQueue<Slot> loadOrder = new ConcurrentLinkedQueue<>();
    /** Length of {@link #loadOrder} (its size() walks the queue). Changed by adders, and by trimmers under the lock. */
    private final AtomicInteger queued = new AtomicInteger();
    private final Object trimLock = new Object();
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
        /** The entry this slot caches for; null once the slot has left the map (so the queue keeps no entry alive). */
        volatile Object entry;
        volatile DataKey key;
        volatile GeneralSecurityException failure;

        Slot(Object entry) {
            this.entry = entry;
        }

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
        Slot mine = new Slot(entry);
        boolean won = current == null ? slots.putIfAbsent(entry, mine) == null : slots.replace(entry, current, mine);
        if (!won) {
            Slot other = slots.get(entry);
            return other != null ? other.await() : acquire(entry, unwrapper);
        }
        enqueue(mine);
        if (current != null) {
            drop(current);
        }
        try {
            mine.key = DataKey.adopt(unwrap(unwrapper));
        } catch (GeneralSecurityException e) {
            mine.failure = e;
            slots.remove(entry, mine);
            mine.entry = null;
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

    private void enqueue(Slot s) {
        loadOrder.add(s);
        queued.incrementAndGet();
    }

    /** Whether {@code s} is still the map's slot for its entry. */
    private boolean live(Slot s) {
        Object entry = s.entry;
        return entry != null && slots.get(entry) == s;
    }

    /**
     * Drops expired keys, then the oldest until the count fits. Runs only after a miss or a prime, and walks
     * only the head of the load-order queue: the expired keys, the ones to evict and the stale records of
     * slots already gone. Keys being unwrapped are never dropped.
     */
    private void enforceBounds() {
        synchronized (trimLock) {
            long now = System.nanoTime();
            boolean overCount = slots.size() > maxEntries;
            for (Iterator<Slot> it = loadOrder.iterator(); it.hasNext(); ) {
                Slot s = it.next();
                if (!live(s)) {
                    it.remove();
                    queued.decrementAndGet();
                    continue;
                }
                boolean expired = now - s.loadedAt > ttlNanos;
                if (!expired && !overCount) {
                    break; // everything behind it is younger
                }
                if (s.done.getCount() > 0) {
                    continue; // still being unwrapped: never dropped
                }
                Object entry = s.entry;
                if (entry != null && slots.remove(entry, s)) {
                    drop(s);
                }
                it.remove();
                queued.decrementAndGet();
                overCount = slots.size() > maxEntries;
            }
            if (queued.get() > 2 * slots.size() + 64) {
                // Many slots were invalidated or replaced without reaching the head: forget their records.
                for (Iterator<Slot> it = loadOrder.iterator(); it.hasNext(); ) {
                    if (!live(it.next())) {
                        it.remove();
                        queued.decrementAndGet();
                    }
                }
            }
        }
    }

    private void drop(Slot s) {
        s.entry = null;
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
        Slot s = new Slot(entry);
        s.key = DataKey.adopt(key.getEncoded());
        s.done.countDown();
        Slot previous = slots.put(entry, s);
        enqueue(s);
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
