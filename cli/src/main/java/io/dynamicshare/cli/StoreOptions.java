package io.dynamicshare.cli;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreConflictException;
import io.dynamicshare.store.StoreContext;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStoreException;

/**
 * The {@code --store}, {@code --namespace}, {@code --config} and {@code --min-generation} options every store command
 * shares, and opening, creating and saving the store they name: a file, or a PostgreSQL database when
 * {@code --store} is a {@code jdbc:} URL (its user and password come from the configuration's {@code db.user},
 * {@code db.passwordEnv} or {@code db.passwordFile}, never from the command line). One provider (so one KEK
 * resolver and data-key cache) per command run.
 */
final class StoreOptions {
    static final String STORE_ENV = "DYNAMICSHARE_STORE";
    static final String CONFIG_ENV = "DYNAMICSHARE_CONFIG";
    static final String DEFAULT_STORE = "wallets.dsks";

    @Option(names = "--store", paramLabel = "FILE|JDBC-URL",
            description = "The store: a file, or a PostgreSQL database as a JDBC URL (jdbc:postgresql://host/db; "
                    + "the password from the configuration's db.passwordEnv or db.passwordFile). Default: $"
                    + STORE_ENV + ", else the configuration's db.url, else " + DEFAULT_STORE
                    + " in the current directory.")
    String store;

    @Option(names = "--namespace", paramLabel = "NAME",
            description = "The store's namespace in a database (default: the configuration's db.namespace, else "
                    + "'default'). Ignored for a file.")
    String namespace;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The DynamicShare configuration (properties) file (default: $" + CONFIG_ENV
                    + ", else the system property " + StoreConfig.SYSTEM_PROPERTY + ").")
    Path config;

    @Option(names = "--min-generation", paramLabel = "N", defaultValue = "0",
            description = "Refuse a store file older than generation N (exit 4): pass the last generation you saw "
                    + "('inventory' shows it), kept where the store's writers cannot reach it, so that an old copy "
                    + "put back in place is detected. Default: ${DEFAULT-VALUE} (any generation).")
    long minGeneration;

    private StoreContext context;

    /** Options set in code (quickstart). */
    static StoreOptions of(Path store, Path config) {
        StoreOptions o = new StoreOptions();
        o.store = store.toString();
        o.config = config;
        return o;
    }

    /** The store named by --store, $DYNAMICSHARE_STORE or the configuration's db.url, else the default file. */
    private String named() {
        if (store != null) {
            return store;
        }
        String env = System.getenv(STORE_ENV);
        if (env != null && !env.trim().isEmpty()) {
            return env.trim();
        }
        String url = storeConfig().get("db.url");
        return url != null ? url : DEFAULT_STORE;
    }

    /** True when the store is a database (a {@code jdbc:} URL). */
    boolean isDatabase() {
        return named().startsWith("jdbc:");
    }

    /** The store file; a database store has none. */
    Path storeFile() {
        if (isDatabase()) {
            throw new CliException(ExitCodes.USAGE, "this command works on a store file, and " + location()
                    + " is a database");
        }
        return Paths.get(named());
    }

    /** Where the store is, for messages: the file, or the database URL and namespace (never a credential). */
    String location() {
        return isDatabase() ? databaseParameter().url() + " namespace '" + databaseParameter().namespace() + "'"
                : named();
    }

    /** The database store: the URL, the namespace and the configuration's credentials, pool and tracking. */
    DatabaseStoreParameter databaseParameter() {
        try {
            String ns = namespace != null ? namespace : storeConfig().dbNamespace();
            DatabaseStoreParameter p = DatabaseStoreParameter.url(named(), ns)
                    .withPoolSize(2).withTimeoutSeconds(storeConfig().dbTimeoutSeconds())
                    .withAccessTracking(DatabaseStoreParameter.AccessTracking.OFF, 1);
            if (storeConfig().get("db.user") != null) {
                p = p.withUser(storeConfig().get("db.user"));
            }
            if (storeConfig().path("db.passwordFile") != null) {
                p = p.withPasswordFile(storeConfig().path("db.passwordFile"));
            } else if (storeConfig().get("db.passwordEnv") != null) {
                p = p.withPasswordEnv(storeConfig().get("db.passwordEnv"));
            }
            return p;
        } catch (ConfigException | IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, Failures.message(e), e);
        }
    }

    /** The configuration file in effect, or null when none is named anywhere. */
    Path configFile() {
        if (config != null) {
            return config;
        }
        String env = System.getenv(CONFIG_ENV);
        if (env != null && !env.trim().isEmpty()) {
            return Paths.get(env.trim());
        }
        String prop = System.getProperty(StoreConfig.SYSTEM_PROPERTY);
        return prop != null && !prop.trim().isEmpty() ? Paths.get(prop.trim()) : null;
    }

    StoreContext context() {
        if (context == null) {
            Path file = configFile();
            try {
                if (file == null) {
                    context = StoreContext.of(StoreConfig.empty());
                } else if (!Files.isRegularFile(file)) {
                    throw new CliException(ExitCodes.USAGE, "the configuration file " + file + " does not exist");
                } else {
                    context = StoreContext.of(StoreConfig.load(file));
                }
            } catch (ConfigException e) {
                throw new CliException(ExitCodes.USAGE, Failures.message(e), e);
            }
        }
        return context;
    }

    StoreConfig storeConfig() {
        return context().config();
    }

    /**
     * Loads the existing store: exit 3 when it is missing, 4 when it fails its integrity check or is older
     * than {@code --min-generation}.
     */
    DynamicShareKeyStore open() {
        if (isDatabase()) {
            return openDatabase();
        }
        return open(storeFile());
    }

    /**
     * Opens the database store (with a write KEK configured, a namespace that does not exist yet is created; without
     * one that is an error): exit 4 when its store key fails its integrity check.
     */
    private DynamicShareKeyStore openDatabase() {
        DynamicShareKeyStore ks = newKeyStore();
        try {
            ks.load(databaseParameter());
        } catch (IOException e) {
            throw Failures.load(location(), e);
        } catch (GeneralSecurityException e) {
            throw Failures.of(e);
        }
        return ks;
    }

    DynamicShareKeyStore open(Path file) {
        if (!Files.exists(file)) {
            throw new CliException(ExitCodes.NOT_FOUND, "no store at " + file + " (create one with 'dynamicshare "
                    + "import', or try 'dynamicshare quickstart'; set --store or $" + STORE_ENV + ")");
        }
        FileStoreParameter param = loadParameter(file);
        DynamicShareKeyStore ks = newKeyStore();
        try {
            ks.load(param);
        } catch (IOException e) {
            throw Failures.load(file, e);
        } catch (GeneralSecurityException e) {
            throw Failures.of(e);
        }
        return ks;
    }

    /**
     * What {@code load} is given: the file, and the lowest generation accepted (a rolled-back file then fails
     * with {@code StoreRollbackException}, a {@code StoreIntegrityException}: exit 4).
     */
    private FileStoreParameter loadParameter(Path file) {
        return FileStoreParameter.of(file).minGeneration(minGeneration());
    }

    private long minGeneration() {
        if (minGeneration < 0) {
            throw new CliException(ExitCodes.USAGE, "--min-generation must be 0 or more, got " + minGeneration);
        }
        return minGeneration;
    }

    /**
     * Loads the store, or starts a new empty one when the file does not exist yet (needs a KEK to save). With
     * {@code --min-generation} above 0 a store is expected to exist, so a missing file is not replaced by a new
     * one.
     */
    DynamicShareKeyStore openOrCreate() {
        if (isDatabase()) {
            requireWritable("a new store");
            return openDatabase(); // a namespace that does not exist yet is created with the configured kek
        }
        Path file = storeFile();
        if (Files.exists(file)) {
            return open(file);
        }
        if (minGeneration() > 0) {
            throw new CliException(ExitCodes.NOT_FOUND, "no store at " + file + ", but --min-generation "
                    + minGeneration + " expects one at that generation or later: not creating a new store");
        }
        if (storeConfig().kek() == null) {
            throw new CliException(ExitCodes.USAGE, "no store at " + file + " and no KEK to create one with: set 'kek' "
                    + "in the configuration (" + (configFile() == null ? "none given: pass --config or set $"
                    + CONFIG_ENV : configFile()) + ")");
        }
        DynamicShareKeyStore ks = newKeyStore();
        try {
            ks.load(null, null);
        } catch (IOException | GeneralSecurityException e) {
            throw Failures.of(e);
        }
        return ks;
    }

    /**
     * Fails with exit code 2 unless the configuration names a write KEK: without {@code kek} the store is
     * read-only (it never chooses its own write key), so {@code what} could not be saved.
     */
    void requireWritable(String what) {
        if (storeConfig().kek() == null) {
            throw new CliException(ExitCodes.USAGE, "the store is read-only: no 'kek' is set in the configuration ("
                    + (configFile() == null ? "none given: pass --config or set $" + CONFIG_ENV : configFile())
                    + "), so " + what + " cannot be saved. A store is only ever written with the configured 'kek', "
                    + "never with a key it names itself: set 'kek' to the key to write with");
        }
    }

    /** Writes the store atomically: an interrupted save leaves the previous file intact. */
    void save(DynamicShareKeyStore ks) {
        if (isDatabase()) {
            return; // written through: every change is committed already
        }
        try {
            ks.store(FileStoreParameter.of(storeFile()));
        } catch (StoreConflictException e) {
            throw new CliException(ExitCodes.CONFLICT, Failures.message(e), e);
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write the store " + storeFile() + ": "
                    + Failures.message(e), e);
        }
    }

    /** Fails with exit code 3 unless the store holds {@code alias}. */
    void requireAlias(DynamicShareKeyStore ks, String alias) {
        try {
            if (!ks.containsAlias(alias)) {
                throw new CliException(ExitCodes.NOT_FOUND, "alias '" + alias + "' not found in " + location());
            }
        } catch (KeyStoreException e) {
            throw Failures.of(e);
        }
    }

    private DynamicShareKeyStore newKeyStore() {
        try {
            return new DynamicShareProvider(context()).newKeyStore();
        } catch (GeneralSecurityException e) {
            throw Failures.of(e);
        }
    }
}
