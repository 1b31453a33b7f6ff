package io.dynamicshare.appserver;

import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;

/**
 * The forked JVM of {@code TomcatReloadTest}: embedded Tomcat with JULI's ClassLoaderLogManager (as
 * catalina.sh sets it), the drop-in jar on the JVM class path and registered by a {@code java.security}
 * line. It deploys one web application, calls it, reloads it, calls it again, then checks that nothing keeps
 * the first web application's class loader ({@link HostReport#report}). Each finding is printed as a {@code RESULT key=value} line.
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

            HostReport.report(tomcat, ctx, first);
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
        return HostReport.get(port, "/app/probe", Map.of("store", store, "alias", alias));
    }

    private static long count(List<String> messages, String operation, String alias) {
        return messages.stream().filter(m -> m.contains(operation) && m.contains(alias)).count();
    }

    private static void result(String key, Object value) {
        HostReport.result(key, value);
    }
}
