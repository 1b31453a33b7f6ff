package io.dynamicshare.appserver;

import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ContextResource;

import javax.sql.DataSource;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forked JVM of {@code TomcatJndiTest}: embedded Tomcat with naming enabled and a container-managed
 * {@code jdbc/wallets} DataSource declared on the context (as a {@code <Resource>} in {@code context.xml}), backed by
 * Tomcat's own pool (tomcat-dbcp) and the PostgreSQL driver on the JVM class path (Tomcat's lib/). The provider is
 * registered at JVM level and configured with {@code db.jndi=java:comp/env/jdbc/wallets}. It calls the web
 * application, reloads it, calls it again (a new DataSource: a reload closes the old one), then checks that nothing
 * keeps the first web application's class loader ({@link HostReport#report}).
 *
 * <p>Arguments: webapp directory, Tomcat base directory, JDBC URL, then alias, shares file and metadata file of the
 * wallet written before the reload, and the same for the wallet written after it.
 */
public final class TomcatJndiHost {
    private TomcatJndiHost() {
    }

    public static void main(String[] args) throws Exception {
        String webapp = args[0];
        String base = args[1];
        String url = args[2];

        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base);
        tomcat.enableNaming();
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.getEngine().setBackgroundProcessorDelay(-1); // no periodic work that binds the web application
        Context ctx = tomcat.addContext("/app", webapp);
        // <Resource name="jdbc/wallets" auth="Container" type="javax.sql.DataSource" .../> in context.xml: no
        // factory named, so Tomcat's default for a DataSource (tomcat-dbcp's BasicDataSourceFactory) builds the pool.
        ContextResource wallets = new ContextResource();
        wallets.setName("jdbc/wallets");
        wallets.setAuth("Container");
        wallets.setType(DataSource.class.getName());
        wallets.setProperty("driverClassName", "org.postgresql.Driver");
        wallets.setProperty("url", url);
        wallets.setProperty("maxTotal", "4");
        wallets.setCloseMethod("close"); // a stopped context closes its pool
        ctx.getNamingResources().addResource(wallets);
        // A stop clears the context's servlets (StandardContext.resetContext); declare the servlet at every
        // configuration, as web.xml would be read at every start.
        ctx.addLifecycleListener(event -> {
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                Tomcat.addServlet(ctx, "wallets", "io.dynamicshare.appserver.webapp.JndiProbeServlet");
                ctx.addServletMappingDecoded("/wallets", "wallets");
            }
        });
        tomcat.start();
        int port = connector.getLocalPort();
        try {
            HostReport.result("before.response", call(port, args[3], args[4], args[5]));
            WeakReference<ClassLoader> first = new WeakReference<>(ctx.getLoader().getClassLoader());
            ctx.reload();
            HostReport.result("reloaded", ctx.getLoader().getClassLoader() != first.get());
            HostReport.result("after.response", call(port, args[6], args[7], args[8]));
            HostReport.result("audit.loadsByJndi", AuditCapture.messages().stream()
                    .filter(m -> m.contains("LOAD") && m.contains("JNDI java:comp/env/jdbc/wallets")).count());
            HostReport.report(tomcat, ctx, first);
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
        HostReport.result("done", true);
        System.out.flush();
        // Threads the provider started are daemons; Tomcat's are stopped.
        System.exit(0);
    }

    private static String call(int port, String alias, String shares, String metadata) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("alias", alias);
        query.put("shares", shares);
        query.put("metadata", metadata);
        return HostReport.get(port, "/app/wallets", query);
    }
}
