package io.dynamicshare.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.Secrets;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.Messages;
import io.dynamicshare.threads.IsolatedThreads;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.security.KeyStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Where a database store gets its connections, and the deadline of each call. A {@link DataSource} the application
 * passed, or one found by JNDI, belongs to the application (or the app server) and is never closed here; for a JDBC URL
 * the store keeps its own HikariCP pool and closes it in {@link #close()}.
 */
class JdbcConnections implements AutoCloseable {
    private final DataSource dataSource;
    private final HikariDataSource owned;
    final int timeoutSeconds;
    final String where;

    private JdbcConnections(DataSource dataSource, HikariDataSource owned, int timeoutSeconds, String where) {
        this.dataSource = dataSource;
        this.owned = owned;
        this.timeoutSeconds = timeoutSeconds;
        this.where = where;
    }

    /** A DataSource the caller owns (tests, the CLI's migration); never closed here. */
    static JdbcConnections of(DataSource dataSource, int timeoutSeconds) {
        return new JdbcConnections(dataSource, null, timeoutSeconds, "DataSource");
    }

    /**
     * @throws KeyStoreException when the JNDI name is not bound, the password cannot be read or the pool cannot
     *                           reach the database (the message names the cause, never the password)
     */
    static JdbcConnections open(DatabaseStoreParameter p) throws KeyStoreException {
        if (p.dataSource() != null) {
            return of(p.dataSource(), p.timeoutSeconds());
        }
        if (p.jndiName() != null) {
            try {
                Object found = new InitialContext().lookup(p.jndiName());
                if (!(found instanceof DataSource)) {
                    throw new KeyStoreException("the JNDI name " + p.jndiName() + " is bound to "
                            + (found == null ? "nothing" : found.getClass().getName()) + ", not a javax.sql.DataSource");
                }
                return new JdbcConnections((DataSource) found, null, p.timeoutSeconds(), "JNDI " + p.jndiName());
            } catch (NamingException e) {
                KeyStoreException k = new KeyStoreException("cannot look up the database store's DataSource "
                        + p.jndiName() + " in JNDI: " + e);
                k.initCause(e);
                throw k;
            }
        }
        return shared(p);
    }

    /** A pool and the number of open stores using it. */
    private static final class SharedPool {
        final JdbcConnections pool;
        int users;

        SharedPool(JdbcConnections pool) {
            this.pool = pool;
        }
    }

    /** Pools by what they connect as (URL, user, password source, size, timeout). */
    private static final java.util.Map<java.util.List<Object>, SharedPool> POOLS = new java.util.HashMap<>();

    /**
     * The pool for a URL, shared by every store of the JVM that opens the same URL as the same user with the same
     * password source, pool size and timeout: a {@code load(null, null)} per request (the configuration's
     * {@code db.url}) reuses one pool instead of opening one each time. Counted: the last {@link #close} closes it.
     */
    private static JdbcConnections shared(DatabaseStoreParameter p) throws KeyStoreException {
        final java.util.List<Object> key = java.util.Arrays.asList(p.url(), p.user(), String.valueOf(p.passwordFile()),
                p.passwordEnv(), p.poolSize(), p.timeoutSeconds());
        synchronized (POOLS) {
            SharedPool found = POOLS.get(key);
            if (found == null) {
                found = new SharedPool(pool(p));
                POOLS.put(key, found);
            }
            found.users++;
            final SharedPool shared = found;
            return new JdbcConnections(shared.pool.dataSource, null, p.timeoutSeconds(), shared.pool.where) {
                private boolean closed;

                @Override
                public void close() {
                    synchronized (POOLS) {
                        if (!closed) {
                            closed = true;
                            if (--shared.users == 0) {
                                POOLS.remove(key);
                                shared.pool.close();
                            }
                        }
                    }
                }
            };
        }
    }

    private static JdbcConnections pool(DatabaseStoreParameter p) throws KeyStoreException {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(p.url());
        hc.setPoolName("dynamicshare-" + p.namespace());
        hc.setMaximumPoolSize(p.poolSize());
        hc.setMinimumIdle(Math.min(2, p.poolSize()));
        hc.setConnectionTimeout(p.timeoutSeconds() * 1000L);
        hc.setValidationTimeout(Math.min(p.timeoutSeconds() * 1000L, 5000L));
        // The pool's threads must not pin an app server's web application (threads/IsolatedThreads).
        hc.setThreadFactory(new IsolatedThreads("dynamicshare-db-pool-", true, JdbcConnections.class.getClassLoader()));
        // PgJDBC: connect and login deadlines; other drivers ignore properties they do not know.
        hc.addDataSourceProperty("connectTimeout", String.valueOf(p.timeoutSeconds()));
        hc.addDataSourceProperty("loginTimeout", String.valueOf(p.timeoutSeconds()));
        if (p.user() != null) {
            hc.setUsername(p.user());
        }
        if (p.passwordFile() != null || p.passwordEnv() != null) {
            char[] password = null;
            try {
                password = Secrets.read(p.passwordFile(), p.passwordEnv(), "the database password");
                hc.setPassword(new String(password)); // HikariConfig holds a String: nothing else it accepts
            } catch (ConfigException e) {
                throw new KeyStoreException(e.getMessage(), e);
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }
        try {
            HikariDataSource pool = new HikariDataSource(hc);
            return new JdbcConnections(pool, pool, p.timeoutSeconds(), "URL " + p.url());
        } catch (RuntimeException e) { // HikariPool.PoolInitializationException: the database is not reachable
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            KeyStoreException k = new KeyStoreException("cannot connect to the database store at " + p.url() + ": "
                    + cause.getMessage() + sqlState(cause));
            k.initCause(e);
            throw k;
        }
    }

    /** A connection, in auto-commit mode. */
    Connection get() throws SQLException {
        Connection c = dataSource.getConnection();
        if (!c.getAutoCommit()) {
            c.setAutoCommit(true);
        }
        return c;
    }

    /** The DataSource, for {@link JdbcSchema#init}. */
    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    /**
     * A KeyStoreException for a failed database call: what failed, for which alias (if any), the driver's message and
     * SQLState. Driver messages name tables, columns and keys, never a credential or share.
     */
    static KeyStoreException failure(String alias, String what, SQLException e) {
        String m = what + " failed in the database: " + e.getMessage() + sqlState(e);
        KeyStoreException k = new KeyStoreException(alias == null ? m : Messages.alias(alias) + m);
        k.initCause(e);
        return k;
    }

    private static String sqlState(Throwable t) {
        return t instanceof SQLException && ((SQLException) t).getSQLState() != null
                ? " (SQLState " + ((SQLException) t).getSQLState() + ")" : "";
    }
}
