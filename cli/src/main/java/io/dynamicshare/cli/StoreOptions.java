package io.dynamicshare.cli;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.provider.DynamicShareProvider;
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
 * The {@code --store}, {@code --config} and {@code --min-generation} options every store command shares, and
 * opening, creating and saving the store they name. One provider (so one KEK resolver and data-key cache) per
 * command run.
 */
final class StoreOptions {
    static final String STORE_ENV = "DYNAMICSHARE_STORE";
    static final String CONFIG_ENV = "DYNAMICSHARE_CONFIG";
    static final String DEFAULT_STORE = "wallets.dsks";

    @Option(names = "--store", paramLabel = "FILE",
            description = "The store file (default: $" + STORE_ENV + ", else " + DEFAULT_STORE
                    + " in the current directory).")
    Path store;

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
        o.store = store;
        o.config = config;
        return o;
    }

    Path storeFile() {
        if (store != null) {
            return store;
        }
        String env = System.getenv(STORE_ENV);
        return Paths.get(env != null && !env.trim().isEmpty() ? env.trim() : DEFAULT_STORE);
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
        return open(storeFile());
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
                throw new CliException(ExitCodes.NOT_FOUND, "alias '" + alias + "' not found in " + storeFile());
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
