package io.dynamicshare.store.jdbc;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database schema: the versioned DDL scripts shipped beside this class ({@value #SCRIPT}, then
 * {@value #SCRIPT_V2}, readable by a DBA), their application, and the check every store makes when it opens.
 * Version 2 adds {@code dynamicshare_branch_key} (branch keys, hierarchical mode); {@link #init} upgrades a
 * version-1 database to it.
 *
 * <pre>{@code
 * JdbcSchema.init(dataSource);   // idempotent; what `dynamicshare db init` runs; upgrades version 1
 * }</pre>
 */
public final class JdbcSchema {
    /** The schema version this code reads and writes. */
    public static final int VERSION = 2;
    /** The DDL script of version 1, a class-path resource. */
    public static final String SCRIPT = "V1__dynamicshare.sql";
    /** The DDL script that upgrades version 1 to 2 (branch keys), a class-path resource. */
    public static final String SCRIPT_V2 = "V2__branch_keys.sql";
    /** The scripts by the version they bring the schema to. */
    private static final String[] SCRIPTS = {SCRIPT, SCRIPT_V2};
    /** Serialises concurrent inits (pg_advisory_xact_lock): "DynS" in ASCII. */
    private static final long INIT_LOCK = 0x44796e53L;

    private JdbcSchema() {
    }

    /** The DDL of the whole schema: every script's text, in order (what {@code dynamicshare db schema} prints). */
    public static String script() {
        StringBuilder b = new StringBuilder();
        for (String name : SCRIPTS) {
            b.append(script(name));
        }
        return b.toString();
    }

    private static String script(String name) {
        try (InputStream in = JdbcSchema.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the schema script " + name + " is missing from the jar");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the schema script " + name + ": " + e, e);
        }
    }

    /**
     * The statements that bring a schema of version {@code from} (0: none) to {@link #VERSION}, in order
     * (separated by lines holding only ';').
     */
    static List<String> statements(int from) {
        StringBuilder text = new StringBuilder();
        for (int v = from + 1; v <= SCRIPTS.length; v++) {
            text.append(script(SCRIPTS[v - 1]));
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.toString().split("\n")) {
            if (line.trim().equals(";")) {
                if (current.toString().trim().length() > 0) {
                    out.add(current.toString());
                }
                current.setLength(0);
            } else if (!line.trim().startsWith("--")) {
                current.append(line).append('\n');
            }
        }
        return out;
    }

    /**
     * Creates the schema when the database has none, or upgrades a version-1 schema to {@link #VERSION}, in one
     * transaction; does nothing when it has this version. Safe to run from several instances at once.
     *
     * @throws SQLException if the database holds a schema version this code does not know, or the DDL fails (the
     *                      transaction is rolled back: nothing is left half-made)
     */
    public static void init(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, INIT_LOCK);
                    lock.execute();
                }
                Integer found = installedVersion(c);
                if (found != null && (found < 1 || found > VERSION)) {
                    throw unknown(found);
                }
                if (found == null || found < VERSION) {
                    try (Statement s = c.createStatement()) {
                        for (String sql : statements(found == null ? 0 : found)) {
                            s.execute(sql);
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /**
     * {@link #init(DataSource)} on the database a parameter names (its own pool for a URL, closed after).
     *
     * @throws KeyStoreException if the database cannot be reached, or as {@link #init(DataSource)} (the cause)
     */
    public static void init(io.dynamicshare.store.DatabaseStoreParameter p) throws java.security.KeyStoreException {
        try (JdbcConnections db = JdbcConnections.open(p)) {
            init(db.dataSource());
        } catch (SQLException e) {
            throw JdbcConnections.failure(null, "creating the schema", e);
        }
    }

    /**
     * Checks that the database holds this schema version.
     *
     * @throws SQLException with SQLState 42P01 when there is no schema, 55000 naming {@code db init} for a
     *                      version-1 schema (it lacks the branch key table), or naming an unknown version
     */
    static void check(Connection c) throws SQLException {
        Integer found = installedVersion(c);
        if (found == null) {
            throw new SQLException("the database has no DynamicShare schema: run `dynamicshare db init` (or "
                    + "JdbcSchema.init, or the script " + SCRIPT + ") first", "42P01");
        }
        if (found == 1) {
            throw new SQLException("the database holds DynamicShare schema version 1; this version of DynamicShare "
                    + "needs version " + VERSION + " (branch keys): run `dynamicshare db init` (or JdbcSchema.init, or "
                    + "the script " + SCRIPT_V2 + ") to upgrade it; the upgrade only adds a table", "55000");
        }
        if (found != VERSION) {
            throw unknown(found);
        }
    }

    /** The highest version in dynamicshare_schema; null when the table does not exist. */
    private static Integer installedVersion(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT to_regclass('dynamicshare_schema') IS NOT NULL")) {
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (!r.getBoolean(1)) {
                    return null;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT max(version) FROM dynamicshare_schema");
             ResultSet r = s.executeQuery()) {
            r.next();
            int v = r.getInt(1);
            return r.wasNull() ? null : v;
        }
    }

    private static SQLException unknown(int found) {
        return new SQLException("the database holds DynamicShare schema version " + found + ", which this version of "
                + "DynamicShare does not know (it knows version " + VERSION + "): upgrade DynamicShare; nothing was "
                + "changed", "55000");
    }
}
