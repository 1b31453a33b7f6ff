package io.dynamicshare.store.jdbc;

import io.dynamicshare.threads.IsolatedThreads;

import java.lang.ref.WeakReference;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one background thread and the one JVM shutdown hook that flush every {@link AccessTracker} of the JVM, however
 * many stores are opened. Both hold trackers weakly: a KeyStore an application drops without {@code close()} (a
 * servlet's {@code getInstance} + {@code load(null, null)} per request) leaves no thread, hook or pool behind, and is
 * collected with its pending counts (at most one interval of them).
 */
final class AccessFlushes {
    private static final Set<WeakReference<AccessTracker>> LIVE = ConcurrentHashMap.newKeySet();
    private static ScheduledThreadPoolExecutor executor;
    private static boolean hooked;

    private AccessFlushes() {
    }

    /** Flushes {@code tracker} every {@code seconds} until it is closed or collected; the returned handle stops it. */
    static synchronized Registration register(AccessTracker tracker, int seconds) {
        if (executor == null) {
            // The flush thread must not pin a web application: no context class loader of the caller's.
            executor = new ScheduledThreadPoolExecutor(1, new IsolatedThreads("dynamicshare-db-access-flush", false,
                    AccessFlushes.class.getClassLoader()));
            executor.setRemoveOnCancelPolicy(true);
            executor.setKeepAliveTime(60, TimeUnit.SECONDS); // the thread ends a minute after the last store closed
            executor.allowCoreThreadTimeOut(true);
        }
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new IsolatedThreads("dynamicshare-db-access-flush-at-exit", false,
                    AccessFlushes.class.getClassLoader()).newThread(AccessFlushes::flushAll));
            hooked = true;
        }
        final WeakReference<AccessTracker> ref = new WeakReference<>(tracker);
        LIVE.add(ref);
        ScheduledFuture<?> task = executor.scheduleWithFixedDelay(() -> {
            AccessTracker t = ref.get();
            if (t == null) {
                LIVE.remove(ref);
                throw new IllegalStateException("collected"); // ends this task's schedule
            }
            t.flushQuietly();
        }, seconds, seconds, TimeUnit.SECONDS);
        return new Registration(ref, task);
    }

    private static void flushAll() {
        for (WeakReference<AccessTracker> ref : LIVE) {
            AccessTracker t = ref.get();
            if (t != null) {
                t.flushQuietly();
            }
        }
    }

    /** One tracker's place in the schedule. */
    static final class Registration {
        private final WeakReference<AccessTracker> ref;
        private final ScheduledFuture<?> task;

        Registration(WeakReference<AccessTracker> ref, ScheduledFuture<?> task) {
            this.ref = ref;
            this.task = task;
        }

        /** No further background flush (one under way finishes). */
        void cancel() {
            task.cancel(false);
            LIVE.remove(ref);
        }
    }
}
