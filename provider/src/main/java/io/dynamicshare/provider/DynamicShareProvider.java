package io.dynamicshare.provider;

import io.dynamicshare.cache.CacheStats;
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

    private final transient Context context;

    /** Configured from the file named by the {@value StoreConfig#SYSTEM_PROPERTY} system property, if set. */
    public DynamicShareProvider() {
        this(new Context(null));
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
     * {@code security.provider.N=DynamicShare <file>} line (Java 9+); declared without {@code @Override}
     * because Java 8's Provider has no such method.
     *
     * @throws InvalidParameterException if the file cannot be read or is not a valid configuration
     */
    public Provider configure(String configArg) {
        try {
            return new DynamicShareProvider(StoreContext.of(StoreConfig.load(Paths.get(configArg.trim()))));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidParameterException("DynamicShare provider configuration '" + configArg + "': "
                    + e.getMessage());
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

    /** The context, created on first use so that ServiceLoader discovery never fails on a bad configuration. */
    private static final class Context {
        private volatile StoreContext value;

        Context(StoreContext value) {
            this.value = value;
        }

        StoreContext get() throws GeneralSecurityException {
            StoreContext v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = StoreContext.of(StoreConfig.fromSystemProperty());
                        value = v;
                    }
                }
            }
            return v;
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
            } catch (GeneralSecurityException e) {
                NoSuchAlgorithmException n = new NoSuchAlgorithmException("DynamicShareKeyStore cannot start: "
                        + e.getMessage());
                n.initCause(e);
                throw n;
            }
        }
    }
}
