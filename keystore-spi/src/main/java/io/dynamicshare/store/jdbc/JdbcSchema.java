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
 * The database schema: the versioned DDL script shipped beside this class ({@value #SCRIPT}, readable by a DBA), its
 * application, and the check every store makes when it opens.
 *
 * <pre>{@code
 * JdbcSchema.init(dataSource);   // idempotent; what `dynamicshare db init` runs
 * }</pre>
 */
public final class JdbcSchema {
    /** The schema version this code reads and writes. */
    public static final int VERSION = 1;
    /** The DDL script, a class-path resource. */
    public static final String SCRIPT = "V1__dynamicshare.sql";
    /** Serialises concurrent inits (pg_advisory_xact_lock): "DynS" in ASCII. */
    private static final long INIT_LOCK = 0x44796e53L;

    private JdbcSchema() {
    }

    /** The DDL script's text. */
    public static String script() {
        try (InputStream in = JdbcSchema.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the schema script " + SCRIPT + " is missing from the jar");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the schema script " + SCRIPT + ": " + e, e);
        }
    }

    /** The script's statements, in order (separated by lines holding only ';'). */
    static List<String> statements() {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script().split("\n")) {
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
     * Creates the schema when the database has none, in one transaction; does nothing when it has this version.
     * Safe to run from several instances at once.
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
                if (found != null && found != VERSION) {
                    throw unknown(found);
                }
                if (found == null) {
                    try (Statement s = c.createStatement()) {
                        for (String sql : statements()) {
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
     * @throws SQLException with SQLState 42P01 when there is no schema, or naming the unknown version
     */
    static void check(Connection c) throws SQLException {
        Integer found = installedVersion(c);
        if (found == null) {
            throw new SQLException("the database has no DynamicShare schema: run `dynamicshare db init` (or "
                    + "JdbcSchema.init, or the script " + SCRIPT + ") first", "42P01");
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
