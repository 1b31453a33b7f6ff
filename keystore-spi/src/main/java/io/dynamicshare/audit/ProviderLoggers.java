package io.dynamicshare.audit;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.logging.Logger;

/**
 * {@code java.util.logging} loggers that belong to the provider's own class loader, not to whichever web
 * application happened to touch a class first.
 *
 * <p>Tomcat's {@code org.apache.juli.ClassLoaderLogManager} keeps one logger tree per <em>context class
 * loader</em>: {@code Logger.getLogger(name)} called while web application A's loader is the thread's context
 * class loader returns a logger of A's tree, whatever class asked. A {@code static final} logger of a provider
 * on the JVM class path, first touched inside A's request, is therefore A's. When A stops, Tomcat calls
 * {@code LogManager.reset()} with A's loader current ({@code WebappClassLoaderBase.clearReferences} →
 * {@code LogFactory.release}), which removes every handler from every logger of A's tree, including a handler
 * the administrator attached to that logger name at JVM level. The provider, shared by every web application,
 * then logs into a dead tree until the JVM restarts.
 *
 * <p>{@link #get} looks the logger up with the provider's class loader as the context class loader, so it
 * belongs to the tree of the loader that loaded the provider: the JVM-level tree (configured by
 * {@code conf/logging.properties}) for the drop-in jar on the JVM class path, or the web application's own tree
 * when the provider is deployed inside that web application. With the JDK's own LogManager there is one tree and
 * nothing changes.
 */
public final class ProviderLoggers {
    private ProviderLoggers() {
    }

    /** The logger {@code name} of the provider class loader's logger tree. Look it up once and keep it. */
    public static Logger get(final String name) {
        final ClassLoader provider = ProviderLoggers.class.getClassLoader();
        return AccessController.doPrivileged((PrivilegedAction<Logger>) () -> {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            if (previous == provider) {
                return Logger.getLogger(name);
            }
            try {
                thread.setContextClassLoader(provider);
            } catch (SecurityException e) {
                return Logger.getLogger(name); // not permitted here: the caller's tree is all there is
            }
            try {
                return Logger.getLogger(name);
            } finally {
                thread.setContextClassLoader(previous);
            }
        });
    }
}
