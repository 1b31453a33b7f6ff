package io.dynamicshare.store;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

/**
 * Opens a store kept in a PostgreSQL database (schema version 2: {@code io/dynamicshare/store/jdbc/V1__dynamicshare.sql}
 * then {@code V2__branch_keys.sql}, applied by {@code dynamicshare db init}). A store is (database, namespace); many application instances may open it at once.
 * Like the JDK's PKCS#11 KeyStore, which keeps its entries on the token: {@code load} reads no row, {@code getEntry}
 * reads one, {@code aliases()} streams, {@code size()} counts, {@code setEntry}/{@code deleteEntry} write through in
 * one transaction each, and {@code store} has nothing left to write. See README "PostgreSQL store".
 *
 * <p>Connections come from a {@link DataSource} the application owns (never closed by the store), a JNDI name (an
 * app server's pool, never closed either), or a JDBC URL, for which the store keeps its own HikariCP pool and closes
 * it with {@link DynamicShareKeyStore#close()}. The password of a URL comes from an environment variable or a file,
 * never from code or configuration text. The application brings the JDBC driver ({@code org.postgresql:postgresql}).
 *
 * <pre>{@code
 * try (DynamicShareKeyStore ks = provider.newKeyStore()) {
 *     ks.load(DatabaseStoreParameter.of(dataSource, "payments"));
 *     ks.setEntry(alias, WalletEntry.of(sharesJson, walletMetadataJson), null);   // one transaction, committed
 * }
 * }</pre>
 */
public final class DatabaseStoreParameter implements KeyStore.LoadStoreParameter {
    /** How {@code access_count} and {@code last_accessed_at} are kept (README "Access tracking"). */
    public enum AccessTracking {
        /** Never written. */
        OFF,
        /** One UPDATE on every getEntry, in the reader's thread. */
        SYNC,
        /** Counted in memory, flushed by one batched UPDATE per interval and on close: a crash loses one interval. */
        BATCHED
    }

    private final DataSource dataSource;
    private final String jndiName;
    private final String url;
    private final String user;
    private final Path passwordFile;
    private final String passwordEnv;
    private final String namespace;
    private final int poolSize;
    private final int timeoutSeconds;
    private final AccessTracking accessTracking;
    private final int accessFlushSeconds;

    private DatabaseStoreParameter(DataSource dataSource, String jndiName, String url, String user, Path passwordFile,
                                   String passwordEnv, String namespace, int poolSize, int timeoutSeconds,
                                   AccessTracking accessTracking, int accessFlushSeconds) {
        this.dataSource = dataSource;
        this.jndiName = jndiName;
        this.url = url;
        this.user = user;
        this.passwordFile = passwordFile;
        this.passwordEnv = passwordEnv;
        this.namespace = checkNamespace(namespace);
        this.poolSize = positive("poolSize", poolSize);
        this.timeoutSeconds = positive("timeoutSeconds", timeoutSeconds);
        this.accessTracking = Objects.requireNonNull(accessTracking, "accessTracking");
        this.accessFlushSeconds = positive("accessFlushSeconds", accessFlushSeconds);
    }

    /** The store {@code namespace} in the database behind {@code dataSource}, which the application owns. */
    public static DatabaseStoreParameter of(DataSource dataSource, String namespace) {
        return new DatabaseStoreParameter(Objects.requireNonNull(dataSource, "dataSource"), null, null, null, null,
                null, namespace, 10, 10, AccessTracking.BATCHED, 10);
    }

    /** The store {@code namespace} in the database behind the JNDI name (e.g. {@code java:comp/env/jdbc/wallets}). */
    public static DatabaseStoreParameter jndi(String jndiName, String namespace) {
        return new DatabaseStoreParameter(null, Objects.requireNonNull(jndiName, "jndiName"), null, null, null, null,
                namespace, 10, 10, AccessTracking.BATCHED, 10);
    }

    /**
     * The store {@code namespace} in the database at a JDBC URL, through a pool the store owns.
     *
     * @throws IllegalArgumentException if the URL carries a password (use {@link #withPasswordEnv} or
     *                                  {@link #withPasswordFile})
     */
    public static DatabaseStoreParameter url(String jdbcUrl, String namespace) {
        if (Objects.requireNonNull(jdbcUrl, "jdbcUrl").toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new IllegalArgumentException("the JDBC URL must not carry a password: use withPasswordEnv or "
                    + "withPasswordFile");
        }
        return new DatabaseStoreParameter(null, null, jdbcUrl, null, null, null, namespace, 10, 10,
                AccessTracking.BATCHED, 10);
    }

    /**
     * The database store the configuration names ({@code db.url} or {@code db.jndi}, README "Configuration"), or
     * null when it names none.
     */
    public static DatabaseStoreParameter fromConfig(StoreConfig config) throws ConfigException {
        if (!config.hasDatabase()) {
            return null;
        }
        DatabaseStoreParameter p = config.get("db.url") != null ? url(config.get("db.url"), config.dbNamespace())
                : jndi(config.get("db.jndi"), config.dbNamespace());
        return new DatabaseStoreParameter(p.dataSource, p.jndiName, p.url, config.get("db.user"),
                config.path("db.passwordFile"), config.get("db.passwordEnv"), p.namespace, config.dbPoolSize(),
                config.dbTimeoutSeconds(), AccessTracking.valueOf(config.dbAccessTracking().toUpperCase(
                java.util.Locale.ROOT)), config.dbAccessFlushSeconds());
    }

    /** The user a URL's connections log in as. */
    public DatabaseStoreParameter withUser(String dbUser) {
        return new DatabaseStoreParameter(dataSource, jndiName, url, dbUser, passwordFile, passwordEnv, namespace,
                poolSize, timeoutSeconds, accessTracking, accessFlushSeconds);
    }

    /** The environment variable holding a URL's password. */
    public DatabaseStoreParameter withPasswordEnv(String envVar) {
        return new DatabaseStoreParameter(dataSource, jndiName, url, user, null, envVar, namespace, poolSize,
                timeoutSeconds, accessTracking, accessFlushSeconds);
    }

    /** The file holding a URL's password (a trailing newline is dropped). */
    public DatabaseStoreParameter withPasswordFile(Path file) {
        return new DatabaseStoreParameter(dataSource, jndiName, url, user, file, null, namespace, poolSize,
                timeoutSeconds, accessTracking, accessFlushSeconds);
    }

    /** The size of the store's own pool (a URL only), at least 1; default 10. */
    public DatabaseStoreParameter withPoolSize(int connections) {
        return new DatabaseStoreParameter(dataSource, jndiName, url, user, passwordFile, passwordEnv, namespace,
                connections, timeoutSeconds, accessTracking, accessFlushSeconds);
    }

    /** The deadline of every statement and of waiting for a pooled connection, in seconds; default 10. */
    public DatabaseStoreParameter withTimeoutSeconds(int seconds) {
        return new DatabaseStoreParameter(dataSource, jndiName, url, user, passwordFile, passwordEnv, namespace,
                poolSize, seconds, accessTracking, accessFlushSeconds);
    }

    /** How reads are counted; {@code flushSeconds} is the interval of {@link AccessTracking#BATCHED}. */
    public DatabaseStoreParameter withAccessTracking(AccessTracking mode, int flushSeconds) {
        return new DatabaseStoreParameter(dataSource, jndiName, url, user, passwordFile, passwordEnv, namespace,
                poolSize, timeoutSeconds, mode, flushSeconds);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jndiName() {
        return jndiName;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public Path passwordFile() {
        return passwordFile;
    }

    public String passwordEnv() {
        return passwordEnv;
    }

    public String namespace() {
        return namespace;
    }

    public int poolSize() {
        return poolSize;
    }

    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    public AccessTracking accessTracking() {
        return accessTracking;
    }

    public int accessFlushSeconds() {
        return accessFlushSeconds;
    }

    /** None: the store is protected by its KEK, not by a password. */
    @Override
    public KeyStore.ProtectionParameter getProtectionParameter() {
        return null;
    }

    private static String checkNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.isEmpty() || namespace.length() > 255) {
            throw new IllegalArgumentException("a namespace is 1 to 255 characters, got " + namespace.length());
        }
        for (int i = 0; i < namespace.length(); i++) {
            if (Character.isISOControl(namespace.charAt(i))) {
                throw new IllegalArgumentException("a namespace must not hold control characters");
            }
        }
        return namespace;
    }

    private static int positive(String what, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + n);
        }
        return n;
    }

    /** Where the store is, never a credential. */
    @Override
    public String toString() {
        String where = dataSource != null ? "DataSource " + dataSource.getClass().getName()
                : jndiName != null ? "JNDI " + jndiName : "URL " + url;
        return "DatabaseStoreParameter{" + where + ", namespace '" + namespace + "'}";
    }
}
