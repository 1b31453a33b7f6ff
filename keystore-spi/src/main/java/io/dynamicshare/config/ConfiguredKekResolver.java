package io.dynamicshare.config;

import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekResolver;
import io.dynamicshare.kek.local.LocalDevKek;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves KEK references with the credentials a {@link StoreConfig} supplies, and keeps one open
 * {@link Kek} per key (opening one may cost a file read or a vault call).
 *
 * <ul>
 *   <li>{@code devkek:<name>[/v<n>]}: the development KEK file named by {@code devkek.file};</li>
 *   <li>{@code https://...}: a key service registered with {@link #register} (Azure Key Vault).</li>
 * </ul>
 */
public final class ConfiguredKekResolver implements KekResolver {
    /** Opens a key of one URI scheme. */
    public interface KeyService {
        Kek open(String reference, StoreConfig config) throws KekException;

        /** The key name (no version) a reference belongs to: keys are opened once per name. */
        String keyName(String reference);
    }

    private final StoreConfig config;
    private final Map<String, KeyService> services = new ConcurrentHashMap<>();
    private final Map<String, Kek> open = new ConcurrentHashMap<>();
    /**
     * References already resolved, so a write does not parse its KEK's URI again (about 1 µs). Bounded by the
     * distinct references a store meets: the configured one and the KEK versions its entries name.
     */
    private final Map<String, Kek> byReference = new ConcurrentHashMap<>();

    public ConfiguredKekResolver(StoreConfig config) {
        this.config = config;
        services.put(LocalDevKek.SCHEME, new DevKekService());
    }

    /** Adds the key service for a URI scheme (e.g. {@code https} for Azure Key Vault). */
    public ConfiguredKekResolver register(String scheme, KeyService service) {
        services.put(scheme, service);
        return this;
    }

    @Override
    public Kek resolve(String reference) throws KekException {
        Kek known = byReference.get(reference);
        if (known != null) {
            return known;
        }
        int colon = reference.indexOf(':');
        KeyService service = colon < 0 ? null : services.get(reference.substring(0, colon));
        if (service == null) {
            throw new KekException(reference, "no key service handles this KEK reference (known schemes: "
                    + services.keySet() + ")");
        }
        String name = service.keyName(reference);
        Kek kek = open.get(name);
        if (kek == null) {
            synchronized (this) {
                kek = open.get(name);
                if (kek == null) {
                    // A key is opened as the configuration names it (a pinned version stays pinned), never as
                    // the first version id a store happened to mention: that would pin writes to an old version.
                    String configured = config.kek();
                    boolean isWriteKey = configured != null && configured.startsWith(scheme(reference) + ":")
                            && name.equals(service.keyName(configured));
                    kek = service.open(isWriteKey ? configured : name, config);
                    open.put(name, kek);
                }
            }
        }
        byReference.put(reference, kek);
        return kek;
    }

    private static String scheme(String reference) {
        int colon = reference.indexOf(':');
        return colon < 0 ? "" : reference.substring(0, colon);
    }

    /** The local development KEK: one file, named by {@code devkek.file}, password from the configuration. */
    private static final class DevKekService implements KeyService {
        @Override
        public Kek open(String reference, StoreConfig config) throws KekException {
            Path file = config.devKekFile();
            if (file == null || !Files.exists(file)) {
                throw new KekException(reference, "devkek.file is not set or does not exist in the configuration "
                        + config.source() + (file == null ? "" : " (" + file + ")"));
            }
            char[] password = null;
            try {
                password = config.devKekPassword();
                LocalDevKek kek = LocalDevKek.open(file, password);
                if (!kek.keyName().equals(keyName(reference))) {
                    throw new KekException(reference, "the development KEK file " + file + " holds " + kek.keyName()
                            + ", not this key");
                }
                return reference.equals(kek.keyName()) ? kek : kek.pinnedTo(KekId.of(reference));
            } catch (ConfigException e) {
                throw new KekException(reference, null, e.getMessage(), null);
            } finally {
                if (password != null) {
                    Arrays.fill(password, '\0');
                }
            }
        }

        @Override
        public String keyName(String reference) {
            // devkek:<name>[/<version>]: names have no '/', so whatever follows one is a version (valid or not).
            int slash = reference.indexOf('/');
            return slash > 0 ? reference.substring(0, slash) : reference;
        }
    }
}
