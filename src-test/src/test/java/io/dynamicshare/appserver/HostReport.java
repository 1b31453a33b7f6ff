package io.dynamicshare.appserver;

import org.apache.catalina.Context;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.loader.WebappClassLoaderBase;
import org.apache.catalina.startup.Tomcat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the forked Tomcat JVMs ({@code TomcatHost}, {@code TomcatJndiHost}) report, as {@code RESULT key=value}
 * lines the test JVM parses ({@code ForkedTomcat}): the responses of their web application, and the class-loader
 * leak check, run after a web application was reloaded once: which threads still hold the first web application's class loader (as context
 * class loader or in an inherited access-control context), then, after a second reload drops the second web
 * application too, whether the first loader is collected and what Tomcat's {@code findleaks} says
 * ({@code ForkedTomcat.leakAssertions} checks them).
 */
final class HostReport {
    private HostReport() {
    }

    /** Prints the leak findings; {@code first} is the loader of the web application before the first reload. */
    static void report(Tomcat tomcat, Context ctx, WeakReference<ClassLoader> first) throws Exception {
        // Tomcat's own threads hold a web application's loader while they serve it: ask until they let go.
        String tcclAny = threadsWithLoader(null, true);
        for (int i = 0; i < 20 && !tcclAny.equals("[]"); i++) {
            Thread.sleep(100);
            tcclAny = threadsWithLoader(null, true);
        }
        result("threads.tcclFirstWebapp", threadsWithLoader(first.get(), false));
        result("threads.tcclAnyWebapp", tcclAny);
        result("threads.accFirstWebapp", threadsWithInheritedContext(first.get()));
        result("threads.all", allThreadNames());

        // Drop the second web application too: nothing of either may stay.
        ctx.reload();
        boolean collected = false;
        for (int i = 0; i < 100 && !collected; i++) {
            System.gc();
            Thread.sleep(100);
            collected = first.get() == null;
        }
        result("firstLoaderCollected", collected);
        result("findleaks", Arrays.toString(((StandardHost) tomcat.getHost()).findReloadedContextMemoryLeaks()));
    }

    static void result(String key, Object value) {
        System.out.println("RESULT " + key + "=" + value);
    }

    /**
     * {@code GET http://127.0.0.1:<port><path>?<query>}, the query's values URL-encoded. Returns the status and the
     * body on one line ({@code "200 ok ..."}).
     */
    static String get(int port, String path, Map<String, String> query) throws IOException {
        StringBuilder uri = new StringBuilder("http://127.0.0.1:").append(port).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            uri.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        HttpURLConnection c = (HttpURLConnection) URI.create(uri.toString()).toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(60_000);
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (in != null) {
                in.transferTo(out);
            }
            return status + " " + out.toString(StandardCharsets.UTF_8).replace('\n', '|');
        } finally {
            c.disconnect();
        }
    }

    /** Live platform threads whose context class loader is {@code loader}, or (any) a web application's. */
    private static String threadsWithLoader(ClassLoader loader, boolean any) {
        TreeSet<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            ClassLoader tccl = t.getContextClassLoader();
            if (any ? tccl instanceof WebappClassLoaderBase : tccl != null && tccl == loader) {
                names.add(t.getName());
            }
        }
        return names.toString();
    }

    /**
     * Live platform threads whose inherited access-control context holds a protection domain of
     * {@code loader}. Java 17 to 23 keep one per thread, Java 24 no longer does; reading it needs
     * {@code --add-opens}. Reports "n/a" where it cannot look.
     */
    private static String threadsWithInheritedContext(ClassLoader loader) {
        try {
            Field acc = Thread.class.getDeclaredField("inheritedAccessControlContext");
            acc.setAccessible(true);
            Field context = java.security.AccessControlContext.class.getDeclaredField("context");
            context.setAccessible(true);
            TreeSet<String> names = new TreeSet<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                Object c = acc.get(t);
                ProtectionDomain[] pds = c == null ? null : (ProtectionDomain[]) context.get(c);
                if (pds != null) {
                    for (ProtectionDomain pd : pds) {
                        if (pd != null && pd.getClassLoader() != null && pd.getClassLoader() == loader) {
                            names.add(t.getName());
                        }
                    }
                }
            }
            return names.toString();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "n/a";
        }
    }

    private static String allThreadNames() {
        TreeSet<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName());
        }
        return names.toString();
    }
}
