package io.dynamicshare.threads;

import java.lang.reflect.Constructor;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads that pin nothing of whoever caused them to start: a chosen context class loader (the
 * provider's, or none), created inside {@code doPrivileged} (so no caller's access-control context is inherited)
 * and, on Java 9+, without inherited thread locals. In an app server the caller is often a web application's
 * request thread; a thread inheriting its loader would keep the application alive after a reload.
 *
 * <pre>{@code
 * new ScheduledThreadPoolExecutor(1, new IsolatedThreads("dynamicshare-cache-sweeper", false, null));
 * }</pre>
 */
public final class IsolatedThreads implements ThreadFactory {
    /** {@code Thread(ThreadGroup, Runnable, String, long, boolean inheritThreadLocals)}, Java 9+. */
    private static final Constructor<Thread> WITHOUT_INHERITED_LOCALS = findConstructor();

    private final String name;
    private final boolean numbered;
    private final ClassLoader contextLoader;
    private final AtomicInteger count = new AtomicInteger();

    /**
     * @param name          the thread name, or its prefix when {@code numbered} (1, 2, ... appended)
     * @param contextLoader the threads' context class loader; null for none
     */
    public IsolatedThreads(String name, boolean numbered, ClassLoader contextLoader) {
        this.name = name;
        this.numbered = numbered;
        this.contextLoader = contextLoader;
    }

    private static Constructor<Thread> findConstructor() {
        try {
            return Thread.class.getConstructor(ThreadGroup.class, Runnable.class, String.class, long.class,
                    boolean.class);
        } catch (NoSuchMethodException | SecurityException e) {
            return null; // Java 8
        }
    }

    @Override
    public Thread newThread(final Runnable r) {
        final String threadName = numbered ? name + count.incrementAndGet() : name;
        return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> {
            Thread t = null;
            if (WITHOUT_INHERITED_LOCALS != null) {
                try {
                    t = WITHOUT_INHERITED_LOCALS.newInstance(null, r, threadName, 0L, false);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    t = null;
                }
            }
            if (t == null) {
                t = new Thread(r, threadName);
            }
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY);
            try {
                t.setContextClassLoader(contextLoader);
            } catch (SecurityException e) {
                // Not permitted here: the thread keeps the loader it inherited.
            }
            return t;
        });
    }
}
