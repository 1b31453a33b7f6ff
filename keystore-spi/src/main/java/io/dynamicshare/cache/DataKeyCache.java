package io.dynamicshare.cache;

import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.threads.IsolatedThreads;

import java.lang.ref.WeakReference;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Unwrapped data keys, shared by concurrent readers: bounded by count and age, zeroed when dropped.
 * Concurrent misses of one entry share a single unwrap (single flight). With {@code maxEntries == 0}
 * nothing is cached and every use unwraps, then zeroes the key.
 *
 * <p>Entries are keyed by object identity: the store passes its parsed entry object, which is replaced
 * whenever the entry changes, so a stale key can never be served for a new entry.
 *
 * <p><b>Keys in use are never zeroed.</b> Each cached key counts the readers using it. Dropping a key (for
 * size, age, {@link #invalidate}, {@link #clear} or replacement) takes it out of the cache at once, so no new
 * reader gets it, and zeroes it as soon as its last reader returns: at once if nobody is using it. A reader
 * therefore never sees a destroyed or half-zeroed key, whatever the cache size. The count bound applies to
 * cached keys; keys already dropped but still in use by a reader live until that reader returns. A reader
 * whose entry's key is dropped again and again under it by other threads (a cache far too small for its
 * working set) gives up after a few tries and unwraps a private key for its one use, zeroed after it.
 *
 * <p><b>Expiry.</b> A key is served for at most {@code ttl} after its unwrap (checked on every read), and is
 * zeroed at most {@code ttl + min(ttl, 60 s)} after its unwrap even if the cache is never called again: a
 * single shared daemon thread, {@code dynamicshare-cache-sweeper}, sweeps each cache that has held a key every
 * {@code min(ttl, 60 s)} (plus that thread's scheduling delay). A key that a reader is using at that moment is
 * zeroed when the reader returns. The sweeper holds each cache only weakly: a cache nobody references any more
 * (a redeployed web application's) can be collected, its remaining keys are then zeroed by its next sweep, and
 * its sweep ends. The thread is a daemon, has no context class loader, is created without the caller's
 * access-control context (nor, on Java 9 and later, its inheritable thread locals), and ends a minute after
 * the last sweep ends; the next cache to hold a key starts a new one.
 *
 * <p>Cost: a hit is a map lookup and an increment and a decrement of the key's reader count; no lock.
 * Bookkeeping runs only after a miss or a {@link #prime} and is amortised O(1) whatever the number of cached
 * keys: keys are kept in load order, so the expired ones and the oldest ones are at the head of that queue.
 * The periodic sweep walks the whole queue once per period, off the readers' threads.
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

    /** The name of the shared sweeper thread. */
    static final String SWEEPER_THREAD_NAME = "dynamicshare-cache-sweeper";

    /** The longest interval between two sweeps of a cache. */
    static final long MAX_SWEEP_PERIOD_MILLIS = 60_000;

    /**
     * Lookups that lose a race (the slot found was dropped, or another thread replaced it) before the reader
     * gives up on the cache and unwraps a private key for its one use. Losing even twice is rare.
     */
    private static final int ATTEMPTS = 4;

    /** Everything the sweeper needs; never refers back to the {@link DataKeyCache} that owns it. */
    private final Core core;

    /**
     * @param maxEntries most keys held at once; 0 turns caching off
     * @param ttlMillis  how long a key may be served after it was unwrapped; expired keys are zeroed within
     *                   {@code min(ttlMillis, 60 s)} more
     */
    public DataKeyCache(int maxEntries, long ttlMillis) {
        this(maxEntries, ttlMillis, ttlMillis > 0 ? Math.min(ttlMillis, MAX_SWEEP_PERIOD_MILLIS) : 0, System::nanoTime);
    }

    /**
     * For tests: another sweep period and clock.
     *
     * @param sweepPeriodMillis how often the sweeper zeroes expired keys; 0 for no sweeper
     * @param nanoClock         the time, as {@link System#nanoTime()} reads it
     */
    DataKeyCache(int maxEntries, long ttlMillis, long sweepPeriodMillis, LongSupplier nanoClock) {
        if (maxEntries < 0 || ttlMillis <= 0 || sweepPeriodMillis < 0) {
            throw new IllegalArgumentException("cache maxEntries must be >= 0 and ttl > 0");
        }
        long ttlNanos = ttlMillis > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : ttlMillis * 1_000_000L;
        this.core = new Core(maxEntries, ttlNanos, sweepPeriodMillis, nanoClock, new WeakReference<>(this));
    }

    /** Runs {@code use} with the entry's data key, unwrapping it at most once for concurrent callers. */
    public <T> T withKey(Object entry, Unwrapper unwrapper, KeyUse<T> use) throws GeneralSecurityException {
        return core.withKey(entry, unwrapper, use);
    }

    /**
     * Caches a copy of a key the caller already holds (a freshly written entry's), so that reading the
     * entry back costs no unwrap. Does nothing when caching is off.
     */
    public void prime(Object entry, DataKey key) {
        core.prime(entry, key);
    }

    /** Forgets the key of an entry that was replaced or deleted, and zeroes it (once its readers are done). */
    public void invalidate(Object entry) {
        core.invalidate(entry);
    }

    /** Forgets every key, and zeroes each (once its readers are done). */
    public void clear() {
        core.clear();
    }

    public CacheStats stats() {
        Core c = core;
        return new CacheStats(c.hits.sum(), c.misses.sum(), c.unwrapCalls.sum(), c.errors.sum(), c.evictions.sum(),
                c.slots.size());
    }

    /**
     * A cached key, or one being unwrapped: completed once, by the thread that won the race to unwrap.
     *
     * <p>{@link #state} counts the readers holding the slot; {@link #DEAD} is added once, when the cache drops
     * it. Whoever takes the count to exactly {@code DEAD} (no reader left in a dropped slot) zeroes the key.
     */
    private static final class Slot {
        static final int DEAD = Integer.MIN_VALUE;
        static final AtomicIntegerFieldUpdater<Slot> STATE = AtomicIntegerFieldUpdater.newUpdater(Slot.class, "state");
        static final AtomicIntegerFieldUpdater<Slot> ZEROED = AtomicIntegerFieldUpdater.newUpdater(Slot.class, "zeroed");

        final CountDownLatch done = new CountDownLatch(1);
        final long loadedAt;
        /** The entry this slot caches for; null once the slot has left the map (so the queue keeps no entry alive). */
        volatile Object entry;
        /** Set before {@link #done} opens; null while unwrapping and after a failed unwrap. */
        volatile DataKey key;
        volatile Throwable failure;
        volatile int state;
        volatile int zeroed;

        Slot(Object entry, long loadedAt, int readers) {
            this.entry = entry;
            this.loadedAt = loadedAt;
            this.state = readers;
        }

        /** Holds the slot for a reader, unless it was dropped. Wait-free. */
        boolean tryAcquire() {
            if (STATE.getAndIncrement(this) >= 0) {
                return true;
            }
            release(); // dropped: undo, and zero the key if every reader has gone
            return false;
        }

        void release() {
            if (STATE.decrementAndGet(this) == DEAD) {
                zero();
            }
        }

        /** Marks the slot dropped (true the first time only); zeroes the key now if no reader holds it. */
        boolean retire() {
            entry = null;
            for (;;) {
                int s = state;
                if (s < 0) {
                    return false;
                }
                if (STATE.compareAndSet(this, s, s | DEAD)) {
                    if (s == 0) {
                        zero();
                    }
                    return true;
                }
            }
        }

        private void zero() {
            DataKey k = key;
            if (k != null && ZEROED.compareAndSet(this, 0, 1)) {
                k.destroy();
            }
        }

        /** Waits for the unwrap; returns the key or throws its failure. */
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
            Throwable f = failure;
            if (f != null) {
                throw Core.<GeneralSecurityException>sneaky(f);
            }
            return key;
        }
    }

    /** The cache's state and work; referenced strongly by the sweeper, so it must not refer to its owner. */
    private static final class Core {
        final int maxEntries;
        final long ttlNanos;
        final long sweepPeriodMillis;
        final LongSupplier clock;
        final WeakReference<DataKeyCache> owner;
        final Map<Object, Slot> slots = new ConcurrentHashMap<>();
        /** Every slot put into {@link #slots}, oldest first; removed ones linger until the head or a compaction. */
        final ConcurrentLinkedQueue<Slot> loadOrder = new ConcurrentLinkedQueue<>();
        /** Length of {@link #loadOrder} (its size() walks the queue). Changed by adders, and by trimmers under the lock. */
        final AtomicInteger queued = new AtomicInteger();
        final Object trimLock = new Object();
        final LongAdder hits = new LongAdder();
        final LongAdder misses = new LongAdder();
        final LongAdder unwrapCalls = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder evictions = new LongAdder();
        private volatile boolean sweeping;
        private boolean sweeperFailureLogged;

        Core(int maxEntries, long ttlNanos, long sweepPeriodMillis, LongSupplier clock, WeakReference<DataKeyCache> owner) {
            this.maxEntries = maxEntries;
            this.ttlNanos = ttlNanos;
            this.sweepPeriodMillis = sweepPeriodMillis;
            this.clock = clock;
            this.owner = owner;
        }

        <T> T withKey(Object entry, Unwrapper unwrapper, KeyUse<T> use) throws GeneralSecurityException {
            if (maxEntries != 0) {
                Slot s = acquire(entry, unwrapper);
                if (s != null) {
                    try {
                        return use.apply(s.key);
                    } finally {
                        s.release();
                    }
                }
            }
            // Caching off, or this reader kept losing races: a private key for this one use.
            misses.increment();
            DataKey key = adopt(unwrap(unwrapper));
            try {
                return use.apply(key);
            } finally {
                key.destroy();
            }
        }

        /**
         * The entry's slot, held for the caller (who releases it), with its key unwrapped; null after
         * {@link #ATTEMPTS} lost races.
         */
        private Slot acquire(Object entry, Unwrapper unwrapper) throws GeneralSecurityException {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Slot current = slots.get(entry);
                if (current != null && current.tryAcquire()) {
                    DataKey k = current.key;
                    if (k == null) {
                        if (current.done.getCount() > 0) {
                            // Being unwrapped: share that unwrap. Held, so it is not zeroed before we use it.
                            misses.increment();
                            try {
                                current.await();
                            } catch (Throwable e) {
                                current.release();
                                throw e;
                            }
                            return current;
                        }
                        k = current.key;
                    }
                    if (k != null && !expired(current, clock.getAsLong()) && !k.isDestroyed()) {
                        hits.increment();
                        return current;
                    }
                    current.release(); // expired or failed: replace it below
                }
                // Absent, dropped, expired or failed: unwrap into a new slot, held by us from the start.
                Slot mine = new Slot(entry, clock.getAsLong(), 1);
                boolean won = current == null ? slots.putIfAbsent(entry, mine) == null
                        : slots.replace(entry, current, mine);
                if (!won) {
                    continue; // another thread changed the entry's slot: look again
                }
                misses.increment();
                enqueue(mine);
                if (current != null) {
                    drop(current);
                }
                load(entry, mine, unwrapper);
                enforceBounds();
                ensureSweeper();
                return mine;
            }
            return null;
        }

        private void load(Object entry, Slot mine, Unwrapper unwrapper) throws GeneralSecurityException {
            try {
                mine.key = adopt(unwrap(unwrapper));
            } catch (Throwable e) {
                mine.failure = e;
                slots.remove(entry, mine);
                mine.retire();
                mine.release();
                throw e;
            } finally {
                mine.done.countDown();
            }
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

        private static DataKey adopt(byte[] raw) {
            try {
                return DataKey.adopt(raw);
            } catch (RuntimeException e) {
                if (raw != null) {
                    Arrays.fill(raw, (byte) 0);
                }
                throw e;
            }
        }

        private boolean expired(Slot s, long now) {
            return now - s.loadedAt > ttlNanos;
        }

        private void enqueue(Slot s) {
            loadOrder.add(s);
            queued.incrementAndGet();
        }

        /** Starts sweeping this cache once it holds a key. Never throws: a cache without a sweeper still works. */
        private void ensureSweeper() {
            if (!sweeping && sweepPeriodMillis > 0) {
                startSweeper();
            }
        }

        private synchronized void startSweeper() {
            if (sweeping) {
                return;
            }
            try {
                Sweeper.schedule(new SweepTask(owner, this), sweepPeriodMillis);
                sweeping = true;
            } catch (RuntimeException | Error e) {
                // No thread to be had (the next miss or prime tries again); expired keys are still never served.
                if (!sweeperFailureLogged) {
                    sweeperFailureLogged = true;
                    io.dynamicshare.audit.ProviderLoggers.get(DataKeyCache.class.getName()).log(Level.WARNING,
                            "cannot start the data-key cache sweeper; expired keys are zeroed on the next miss", e);
                }
            }
        }

        /** Whether {@code s} is still the map's slot for its entry. */
        private boolean live(Slot s) {
            Object entry = s.entry;
            return entry != null && slots.get(entry) == s;
        }

        /** Takes {@code s} (already out of the map) out of service; it is zeroed when its last reader returns. */
        private void drop(Slot s) {
            if (s.retire() && s.failure == null) {
                evictions.increment();
            }
        }

        /**
         * Drops expired keys, then the oldest until the count fits. Runs only after a miss or a prime, and walks
         * only the head of the load-order queue: the expired keys, the ones to evict and the stale records of
         * slots already gone. Keys being unwrapped are never dropped.
         */
        void enforceBounds() {
            synchronized (trimLock) {
                long now = clock.getAsLong();
                boolean overCount = slots.size() > maxEntries;
                for (Iterator<Slot> it = loadOrder.iterator(); it.hasNext(); ) {
                    Slot s = it.next();
                    if (!live(s)) {
                        it.remove();
                        queued.decrementAndGet();
                        continue;
                    }
                    boolean expired = expired(s, now);
                    if (!expired && !overCount) {
                        break; // everything behind it is younger
                    }
                    if (s.done.getCount() > 0) {
                        continue; // still being unwrapped: never dropped
                    }
                    evict(s, it);
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

        /**
         * The periodic sweep: drops every expired key and forgets the records of slots already gone. Walks the
         * whole queue, so a slot enqueued a little out of load order is not missed.
         */
        void sweep() {
            synchronized (trimLock) {
                long now = clock.getAsLong();
                for (Iterator<Slot> it = loadOrder.iterator(); it.hasNext(); ) {
                    Slot s = it.next();
                    if (!live(s)) {
                        it.remove();
                        queued.decrementAndGet();
                    } else if (expired(s, now) && s.done.getCount() == 0) {
                        evict(s, it);
                    }
                }
            }
        }

        /** Under the trim lock: drops a live slot the iterator is on. */
        private void evict(Slot s, Iterator<Slot> it) {
            Object entry = s.entry;
            if (entry != null && slots.remove(entry, s)) {
                drop(s);
            }
            it.remove();
            queued.decrementAndGet();
        }

        void prime(Object entry, DataKey key) {
            if (maxEntries == 0) {
                return;
            }
            Slot s = new Slot(entry, clock.getAsLong(), 0);
            s.key = DataKey.adopt(key.getEncoded());
            s.done.countDown();
            Slot previous = slots.put(entry, s);
            enqueue(s);
            if (previous != null) {
                drop(previous);
            }
            enforceBounds();
            ensureSweeper();
        }

        void invalidate(Object entry) {
            Slot s = slots.remove(entry);
            if (s != null) {
                drop(s);
            }
        }

        void clear() {
            for (Object entry : slots.keySet()) {
                invalidate(entry);
            }
        }

        @SuppressWarnings("unchecked")
        static <E extends Throwable> E sneaky(Throwable t) throws E {
            throw (E) t;
        }
    }

    /** One cache's periodic sweep; ends (and zeroes what is left) once the cache has been collected. */
    private static final class SweepTask implements Runnable {
        private final WeakReference<DataKeyCache> owner;
        private final Core core;
        volatile Future<?> future;

        SweepTask(WeakReference<DataKeyCache> owner, Core core) {
            this.owner = owner;
            this.core = core;
        }

        @Override
        public void run() {
            try {
                if (owner.get() == null) {
                    core.clear();
                    Future<?> f = future;
                    if (f != null) {
                        f.cancel(false);
                    }
                    return;
                }
                core.sweep();
            } catch (RuntimeException | Error e) {
                // A failed sweep must not end the schedule (the executor would silently drop the task).
                io.dynamicshare.audit.ProviderLoggers.get(DataKeyCache.class.getName()).log(Level.WARNING, "data-key cache sweep failed", e);
            }
        }
    }

    /** The shared sweeper thread, created on first use. */
    private static final class Sweeper {
        private static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, new IsolatedThreads(SWEEPER_THREAD_NAME, false, null));
            e.setRemoveOnCancelPolicy(true);
            // With no cache left to sweep, the thread ends after a minute; the next cache starts a new one.
            e.setKeepAliveTime(MAX_SWEEP_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            e.allowCoreThreadTimeOut(true);
            return e;
        }

        static void schedule(SweepTask task, long periodMillis) {
            task.future = EXECUTOR.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

}
