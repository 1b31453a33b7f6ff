package io.dynamicshare.appserver;

import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The forked JVM of {@code TomcatReloadTest}: embedded Tomcat with JULI's ClassLoaderLogManager (as
 * catalina.sh sets it), the drop-in jar on the JVM class path and registered by a {@code java.security}
 * line. It deploys one web application, calls it, reloads it, calls it again, then checks that nothing keeps
 * the first web application's class loader. Each finding is printed as a {@code RESULT key=value} line.
 *
 * <p>Arguments: webapp directory, Tomcat base directory, store file, alias read before the reload, alias
 * read after it.
 */
public final class TomcatHost {
    private TomcatHost() {
    }

    public static void main(String[] args) throws Exception {
        String webapp = args[0];
        String base = args[1];
        String store = args[2];
        String aliasBefore = args[3];
        String aliasAfter = args[4];

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base);
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.getEngine().setBackgroundProcessorDelay(-1); // no periodic work that binds the web application
        Context ctx = tomcat.addContext("/app", webapp);
        // A stop clears the context's servlets (StandardContext.resetContext); declare the servlet at every
        // configuration, as web.xml would be read at every start.
        ctx.addLifecycleListener(event -> {
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                Tomcat.addServlet(ctx, "probe", "io.dynamicshare.appserver.webapp.ProbeServlet");
                ctx.addServletMappingDecoded("/probe", "probe");
            }
        });
        tomcat.start();
        int port = connector.getLocalPort();
        try {
            result("logManager", java.util.logging.LogManager.getLogManager().getClass().getName());

            result("before.response", get(port, store, aliasBefore));
            int eventsBefore = AuditCapture.messages().size();
            result("before.auditEvents", eventsBefore);
            result("before.auditGet", count(AuditCapture.messages(), "GET", aliasBefore));

            WeakReference<ClassLoader> first = new WeakReference<>(ctx.getLoader().getClassLoader());
            ctx.reload();
            result("reloaded", ctx.getLoader().getClassLoader() != first.get());

            result("after.response", get(port, store, aliasAfter));
            List<String> after = AuditCapture.messages();
            after = after.subList(eventsBefore, after.size());
            result("after.auditEvents", after.size());
            result("after.auditGet", count(after, "GET", aliasAfter));

            // Threads that run with the first web application's loader, or any web application's loader.
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
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
        result("done", true);
        System.out.flush();
        // Threads the provider started are daemons; Tomcat's are stopped.
        System.exit(0);
    }

    private static String get(int port, String store, String alias) throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + port + "/app/probe?store="
                + URLEncoder.encode(store, StandardCharsets.UTF_8)
                + "&alias=" + URLEncoder.encode(alias, StandardCharsets.UTF_8));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
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

    private static long count(List<String> messages, String operation, String alias) {
        return messages.stream().filter(m -> m.contains(operation) && m.contains(alias)).count();
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
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            names.add(t.getName());
        }
        return new TreeSet<>(names).toString();
    }

    private static void result(String key, Object value) {
        System.out.println("RESULT " + key + "=" + value);
    }
}
