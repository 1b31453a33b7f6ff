package io.dynamicshare.provider;

import io.dynamicshare.cache.CacheStats;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.DynamicShareKeyStoreSpi;
import io.dynamicshare.store.StoreContext;

import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code DynamicShare} JCA provider: registers the KeyStore type {@value #KEYSTORE_TYPE}.
 *
 * <p>Register it in code, by ServiceLoader, or in {@code java.security}:
 * <pre>{@code
 * Security.addProvider(new DynamicShareProvider());                         // config from -Ddynamicshare.config
 * Security.addProvider(new DynamicShareProvider().configure("/etc/dynamicshare.properties")); // Java 9+
 * // java.security:  security.provider.13=io.dynamicshare.provider.DynamicShareProvider
 * //            or:  security.provider.13=DynamicShare /etc/dynamicshare.properties   (Java 9+)
 * KeyStore ks = KeyStore.getInstance("DynamicShareKeyStore");
 * }</pre>
 *
 * <p>All stores opened through one provider instance share its configuration, key services, data-key
 * cache and audit sink.
 *
 * <p>A configuration that cannot be loaded (a missing file, an unknown key, a bad value) does not make the
 * provider vanish, which is what the JDK does with a provider whose {@code configure} throws: the provider
 * is still registered, the reason is logged once at WARNING by this class's logger, and every
 * {@code KeyStore.getInstance("DynamicShareKeyStore")} fails with a {@code KeyStoreException} whose cause
 * names it.
 */
public final class DynamicShareProvider extends Provider {
    private static final long serialVersionUID = 1L;

    /** The provider name. */
    public static final String NAME = "DynamicShare";
    /** The KeyStore type. */
    public static final String KEYSTORE_TYPE = "DynamicShareKeyStore";
    private static final double VERSION = 0.1;
    private static final String INFO = "DynamicShare KeyStore: MPC wallet key shares in CMS AuthEnvelopedData "
            + "(AES-256-GCM), data keys wrapped by a KEK (Azure Key Vault)";

    private static final Logger LOG = io.dynamicshare.audit.ProviderLoggers.get(DynamicShareProvider.class.getName());
    /** Configuration failures already logged in this JVM: each is logged once, however often it is met. */
    private static final Set<String> WARNED = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    private final transient Context context;

    /** Configured from the file named by the {@value StoreConfig#SYSTEM_PROPERTY} system property, if set. */
    public DynamicShareProvider() {
        this(new Context((StoreContext) null));
    }

    /** Configured by an explicit context (programmatic use and tests). */
    public DynamicShareProvider(StoreContext context) {
        this(new Context(context));
    }

    @SuppressWarnings("deprecation") // Provider(String, String, String) does not exist on Java 8.
    private DynamicShareProvider(Context context) {
        super(NAME, VERSION, INFO);
        this.context = context;
        putService(new KeyStoreService(this));
    }

    /**
     * Returns a provider configured by the file {@code configArg} names. Called by the JDK for a
     * {@code security.provider.N=DynamicShare <file>} line (Java 9+) and by keytool's {@code -providerarg};
     * declared without {@code @Override} because Java 8's Provider has no such method.
     *
     * <p>If the file cannot be read or is not a valid configuration, this does not throw: the JDK would
     * drop the provider without a word (a {@code java.security} line) or report it as "not found"
     * (keytool). The reason is logged once at WARNING instead, and the provider returned fails every
     * {@code KeyStore.getInstance("DynamicShareKeyStore")} with a {@code KeyStoreException} whose cause
     * names it. Code that wants the error at once uses
     * {@code new DynamicShareProvider(StoreContext.of(StoreConfig.load(file)))}, which throws it.
     *
     * @throws NullPointerException if {@code configArg} is null
     */
    public Provider configure(String configArg) {
        Objects.requireNonNull(configArg, "configArg");
        String file = configArg.trim();
        try {
            if (file.isEmpty()) {
                throw new ConfigException("no configuration file named");
            }
            return new DynamicShareProvider(new Context(StoreContext.of(StoreConfig.load(Paths.get(file)))));
        } catch (GeneralSecurityException | RuntimeException e) {
            ConfigException failure = new ConfigException("DynamicShare provider configuration '" + file + "': "
                    + e.getMessage(), e);
            warnOnce(failure, "configure");
            return new DynamicShareProvider(new Context(failure));
        }
    }

    /** Logs a configuration failure at WARNING, once per distinct message in this JVM. */
    private static void warnOnce(ConfigException failure, String method) {
        if (WARNED.add(failure.getMessage())) {
            LOG.logp(Level.WARNING, DynamicShareProvider.class.getName(), method, failure.getMessage()
                    + " (the KeyStore type " + KEYSTORE_TYPE + " cannot be used until it is fixed)");
        }
    }

    /** Always true: an unconfigured provider reads the system property, or runs with defaults. */
    public boolean isConfigured() {
        return true;
    }

    /**
     * A new, unloaded store of this provider that also offers rewrap, inventory and verify. Equivalent to
     * {@code KeyStore.getInstance("DynamicShareKeyStore", provider)} for everything else.
     */
    public DynamicShareKeyStore newKeyStore() throws GeneralSecurityException {
        return DynamicShareKeyStore.create(context.get(), this, KEYSTORE_TYPE);
    }

    /** Counters of the data-key cache shared by this provider's stores. */
    public CacheStats dataKeyCacheStats() throws GeneralSecurityException {
        return context.get().cache().stats();
    }

    /**
     * The context, created on first use so that ServiceLoader discovery never fails on a bad configuration;
     * or the configuration failure that {@link #configure(String)} met, reported on every use.
     */
    private static final class Context {
        private volatile StoreContext value;
        private final ConfigException failure;

        Context(StoreContext value) {
            this.value = value;
            this.failure = null;
        }

        Context(ConfigException failure) {
            this.failure = failure;
        }

        StoreContext get() throws GeneralSecurityException {
            if (failure != null) {
                // A fresh exception each time (its stack shows this use), caused by what configure() met.
                throw new ConfigException(failure.getMessage(), failure.getCause());
            }
            StoreContext v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = fromSystemProperty();
                        value = v;
                    }
                }
            }
            return v;
        }

        /** Not cached when it fails, so a fixed file is picked up; logged once all the same. */
        private static StoreContext fromSystemProperty() throws ConfigException {
            try {
                return StoreContext.of(StoreConfig.fromSystemProperty());
            } catch (ConfigException | RuntimeException e) {
                ConfigException failure = new ConfigException("DynamicShare provider configuration (system property "
                        + StoreConfig.SYSTEM_PROPERTY + "=" + System.getProperty(StoreConfig.SYSTEM_PROPERTY) + "): "
                        + e.getMessage(), e);
                warnOnce(failure, "newInstance");
                throw failure;
            }
        }
    }

    /** Creates the SPI with this provider's context (the default reflective path could not pass it). */
    private static final class KeyStoreService extends Service {
        private final DynamicShareProvider provider;

        KeyStoreService(DynamicShareProvider provider) {
            super(provider, "KeyStore", KEYSTORE_TYPE, DynamicShareKeyStoreSpi.class.getName(),
                    Collections.<String>emptyList(), null);
            this.provider = provider;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            try {
                return new DynamicShareKeyStoreSpi(provider.context.get());
            } catch (GeneralSecurityException | RuntimeException e) {
                // Only NoSuchAlgorithmException: KeyStore.getInstance(File) probes every KeyStore service and
                // skips one that throws it, but anything else would break it for every store type.
                NoSuchAlgorithmException n = new NoSuchAlgorithmException("DynamicShareKeyStore cannot start: "
                        + e.getMessage());
                n.initCause(e);
                throw n;
            }
        }
    }
}
