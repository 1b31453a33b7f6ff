package io.dynamicshare.appserver;

import io.dynamicshare.appserver.webapp.JndiProbeServlet;
import io.dynamicshare.backend.PostgresFixture;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database store behind an app server's own pool, found by JNDI (issue 12, "a JNDI name: app servers already own
 * their pools"), in a real servlet container.
 *
 * <p>This JVM starts a real PostgreSQL server ({@link PostgresFixture}) with the schema applied. A forked JVM runs
 * embedded Tomcat ({@link TomcatJndiHost}) with naming enabled and a container-managed {@code jdbc/wallets}
 * DataSource (Tomcat's tomcat-dbcp pool, the PostgreSQL driver in Tomcat's lib/), the drop-in jar registered at JVM
 * level and configured with a development KEK and {@code db.jndi=java:comp/env/jdbc/wallets}. Its web application
 * ({@link JndiProbeServlet}) writes a wallet with {@code setEntry} and reads it back through plain
 * {@code KeyStore.getInstance("DynamicShareKeyStore")} + {@code load(null, null)}, closes a DynamicShareKeyStore,
 * and then uses the DataSource itself; it does so again after a context reload.
 *
 * <p>Checked: the rows are in the database and open in this JVM to the exact shares; the servlet read back the exact
 * shares; the store went through JNDI and never closed the container's DataSource; the reloaded web application's
 * class loader is not pinned.
 */
class TomcatJndiTest {
    private static final String NAMESPACE = "tomcat";
    private static final String BEFORE = "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A";
    private static final String AFTER = "0xAcC93AE6A862804744Aa2f146F8e45CAb0a7655b";
    private static final String POOL = "org.apache.tomcat.dbcp.dbcp2.BasicDataSource";

    @TempDir
    Path dir;

    @Test
    void walletsThroughTheContainersJndiDataSource() throws Exception {
        String db = PostgresFixture.newDatabase(true);
        Properties extra = new Properties();
        extra.setProperty("db.jndi", "java:comp/env/jdbc/wallets");
        extra.setProperty("db.namespace", NAMESPACE);
        DevStores dev = new DevStores(dir.resolve("config"), WrapAlgorithm.AES_KW_256, extra);

        Path webapp = ForkedTomcat.webapp(dir, JndiProbeServlet.class);
        Map<String, String> r = ForkedTomcat.run(dir, dev.configFile,
                e -> Path.of(e).getFileName().toString().startsWith("postgresql-"), TomcatJndiHost.class,
                webapp.toString(), Files.createDirectories(dir.resolve("tomcat")).toString(), PostgresFixture.url(db),
                BEFORE, fixture("evm-2of2/server-key-shares.json").toString(),
                fixture("evm-2of2/wallet-metadata.json").toString(),
                AFTER, fixture("evm-2of3/server-key-shares.json").toString(),
                fixture("evm-2of3/wallet-metadata.json").toString());
        Map<String, byte[]> rows = rows(db);

        List<Executable> checks = new ArrayList<>(List.of(
                // The servlet read back exactly the shares it wrote, through the JVM-level provider, and the
                // container's DataSource still served it after the store was closed.
                () -> assertEquals("200 ok read.sha256=" + sha256("evm-2of2") + " provider=DynamicShare"
                        + " loader=org.apache.catalina.loader.ParallelWebappClassLoader size=1 dataSource=" + POOL
                        + " afterClose.rows=1", r.get("before.response")),
                () -> assertEquals("true", r.get("reloaded")),
                // After the reload: the new web application, a new pool behind the same JNDI name, the same store.
                () -> assertEquals("200 ok read.sha256=" + sha256("evm-2of3") + " provider=DynamicShare"
                        + " loader=org.apache.catalina.loader.ParallelWebappClassLoader size=2 dataSource=" + POOL
                        + " afterClose.rows=1", r.get("after.response")),
                // Three loads per call (writer, reader, the closed store), each through the JNDI name.
                () -> assertEquals("6", r.get("audit.loadsByJndi"), "LOAD audit events naming the JNDI DataSource"),
                // The rows are in the database, sealed, and open here to the exact shares.
                () -> assertEquals(List.of(BEFORE, AFTER), new ArrayList<>(rows.keySet()),
                        "rows of namespace '" + NAMESPACE + "'"),
                () -> assertFalse(contains(rows.get(BEFORE), shares("evm-2of2")), "the shares are stored encrypted"),
                () -> assertArrayEquals(shares("evm-2of2"), openHere(dev, db, BEFORE)),
                () -> assertArrayEquals(shares("evm-2of3"), openHere(dev, db, AFTER)),
                () -> assertEquals("true", r.get("done"))));
        checks.addAll(ForkedTomcat.leakAssertions(r));
        assertAll(checks);
    }

    /** alias to encrypted_key_shares of the store's rows, by alias. */
    private static Map<String, byte[]> rows(String db) throws Exception {
        Map<String, byte[]> rows = new LinkedHashMap<>();
        try (Connection c = PostgresFixture.dataSource(db).getConnection();
             PreparedStatement s = c.prepareStatement("SELECT w.alias, w.encrypted_key_shares "
                     + "FROM server_wallet_key_shares w JOIN dynamicshare_store s ON s.store_id = w.store_id "
                     + "WHERE s.namespace = ? ORDER BY w.alias")) {
            s.setString(1, NAMESPACE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getBytes(2));
                }
            }
        }
        return rows;
    }

    /** The shares of {@code alias} as this JVM reads them from the database, with the same development KEK. */
    private static byte[] openHere(DevStores dev, String db, String alias) throws Exception {
        try (DynamicShareKeyStore ks = dev.provider.newKeyStore()) {
            ks.load(DatabaseStoreParameter.of(PostgresFixture.dataSource(db), NAMESPACE));
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(alias, null);
            WalletShareKey key = (WalletShareKey) e.getSecretKey();
            try {
                return key.getEncoded();
            } finally {
                key.destroy();
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(String wallet) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(shares(wallet)));
    }

    private static byte[] shares(String wallet) throws Exception {
        return Files.readAllBytes(fixture(wallet + "/server-key-shares.json"));
    }

    private static Path fixture(String path) throws Exception {
        return Path.of(TomcatJndiTest.class.getResource("/fixtures/" + path).toURI());
    }
}
