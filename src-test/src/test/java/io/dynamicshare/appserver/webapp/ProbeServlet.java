package io.dynamicshare.appserver.webapp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;

/**
 * The web application of {@code TomcatReloadTest}: copied into {@code WEB-INF/classes}, so Tomcat's
 * WebappClassLoader loads it. It uses only the JDK's KeyStore API and the provider registered at JVM level,
 * as a real application does: {@code GET /probe?store=<file>&alias=<alias>} opens the store and reads one entry.
 * One class, no nested classes: the test copies exactly this .class file.
 */
public final class ProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        try {
            KeyStore ks = KeyStore.getInstance("DynamicShareKeyStore");
            try (InputStream in = Files.newInputStream(Paths.get(req.getParameter("store")))) {
                ks.load(in, null);
            }
            KeyStore.Entry e = ks.getEntry(req.getParameter("alias"), null);
            resp.getWriter().print("ok entry=" + (e == null ? "null" : e.getClass().getSimpleName())
                    + " loader=" + getClass().getClassLoader().getClass().getName()
                    + " provider=" + ks.getProvider().getName()
                    + " providerLoader=" + String.valueOf(ks.getProvider().getClass().getClassLoader()));
        } catch (Exception | LinkageError e) {
            resp.setStatus(500);
            e.printStackTrace(resp.getWriter());
        }
    }
}
