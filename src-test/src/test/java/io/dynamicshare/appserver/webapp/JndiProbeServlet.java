package io.dynamicshare.appserver.webapp;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import javax.naming.InitialContext;
import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The web application of {@code TomcatJndiTest}: copied into {@code WEB-INF/classes}, so Tomcat's WebappClassLoader
 * loads it. The provider is registered at JVM level and configured with {@code db.jndi=java:comp/env/jdbc/wallets}:
 * {@code load(null, null)} opens the database store behind the container's DataSource.
 * {@code GET /wallets?alias=<alias>&shares=<file>&metadata=<file>}:
 * <ol>
 *   <li>writes the wallet with {@code setEntry} through a plain {@code KeyStore.getInstance("DynamicShareKeyStore")};
 *   <li>reads it back through another plain KeyStore and answers the SHA-256 of the shares it read (not the shares);
 *   <li>opens the store once more as a {@link DynamicShareKeyStore} and closes it;
 *   <li>then uses the container's DataSource itself: the store must not have closed it.
 * </ol>
 * One class, no nested classes: the test copies exactly this .class file.
 */
public final class JndiProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String JNDI_NAME = "java:comp/env/jdbc/wallets";

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        String alias = req.getParameter("alias");
        StringBuilder out = new StringBuilder("ok");
        try {
            KeyStore writer = KeyStore.getInstance("DynamicShareKeyStore");
            writer.load(null, null);
            writer.setEntry(alias, WalletEntry.of(Files.readAllBytes(Paths.get(req.getParameter("shares"))),
                    Files.readAllBytes(Paths.get(req.getParameter("metadata")))), null);

            KeyStore reader = KeyStore.getInstance("DynamicShareKeyStore");
            reader.load(null, null);
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) reader.getEntry(alias, null);
            WalletShareKey shares = (WalletShareKey) e.getSecretKey();
            byte[] json = shares.getEncoded();
            try {
                out.append(" read.sha256=").append(HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(json)));
            } finally {
                Arrays.fill(json, (byte) 0);
                shares.destroy();
            }
            out.append(" provider=").append(reader.getProvider().getName())
                    .append(" loader=").append(getClass().getClassLoader().getClass().getName());

            DynamicShareKeyStore closing = ((DynamicShareProvider) reader.getProvider()).newKeyStore();
            closing.load(null, null);
            out.append(" size=").append(closing.size());
            closing.close();

            DataSource ds = (DataSource) new InitialContext().lookup(JNDI_NAME);
            out.append(" dataSource=").append(ds.getClass().getName());
            try (Connection c = ds.getConnection();
                 PreparedStatement s = c.prepareStatement(
                         "SELECT count(*) FROM server_wallet_key_shares WHERE alias = ?")) {
                s.setString(1, alias);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    out.append(" afterClose.rows=").append(r.getLong(1));
                }
            }
            resp.getWriter().print(out);
        } catch (Exception | LinkageError e) {
            resp.setStatus(500);
            resp.getWriter().print(out + " | ");
            e.printStackTrace(resp.getWriter());
        }
    }
}
