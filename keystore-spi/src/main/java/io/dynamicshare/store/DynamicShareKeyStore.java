package io.dynamicshare.store;

import io.dynamicshare.cache.CacheStats;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Provider;
import java.util.Map;

/**
 * A {@link KeyStore} of type {@code DynamicShareKeyStore} that also offers the operations the standard
 * API has no words for: rewrap to a new KEK version, the KEK inventory, and a full verification.
 * Everything else is the plain KeyStore API.
 *
 * <pre>{@code
 * DynamicShareKeyStore ks = provider.newKeyStore();
 * ks.load(FileStoreParameter.of(file));
 * while (ks.rewrap(null, 500) > 0) {           // to the newest version of the configured KEK
 *     ks.store(FileStoreParameter.of(file));    // each batch lands atomically: a rerun resumes
 * }
 * System.out.println(ks.inventory().versionsInUse());
 * }</pre>
 */
public final class DynamicShareKeyStore extends KeyStore {
    private final DynamicShareKeyStoreSpi spi;

    private DynamicShareKeyStore(DynamicShareKeyStoreSpi spi, Provider provider, String type) {
        super(spi, provider, type);
        this.spi = spi;
    }

    /** A new, unloaded store over {@code context}, reported as coming from {@code provider}. */
    public static DynamicShareKeyStore create(StoreContext context, Provider provider, String type) {
        return new DynamicShareKeyStore(new DynamicShareKeyStoreSpi(context), provider, type);
    }

    /**
     * Re-wraps the data keys of up to {@code maxEntries} entries (and the store MAC key) with the newest
     * version of {@code targetKek}, leaving every ciphertext untouched. Entries already wrapped by that
     * version are skipped, so calling again after an interruption resumes.
     *
     * @param targetKek a key reference, or null for the configured KEK
     * @return how many entries still need rewrapping
     */
    public int rewrap(String targetKek, int maxEntries) throws KeyStoreException {
        return spi.rewrap(targetKek, maxEntries);
    }

    /** Which KEK versions the store depends on. */
    public KekInventory inventory() throws KeyStoreException {
        return spi.inventory();
    }

    /**
     * Opens every entry (and zeroes what it decrypted). The whole-store integrity tag was already checked
     * by {@code load}.
     *
     * @return alias to failure message for each entry that does not open; empty when all is well
     */
    public Map<String, String> verify() throws KeyStoreException {
        return spi.verify();
    }

    /**
     * The entry's attributes, answered from its metadata without unwrapping any key: the same answer as
     * {@code KeyStore.getAttributes} (JDK 18+), on every Java version.
     *
     * @return the attributes, empty for an unknown alias
     */
    public java.util.Set<KeyStore.Entry.Attribute> attributes(String alias) throws KeyStoreException {
        if (!containsAlias(alias)) {
            return java.util.Collections.emptySet();
        }
        return spi.engineGetAttributes(alias);
    }

    /** Counters of the data-key cache this store uses. */
    public CacheStats cacheStats() {
        return spi.context().cache().stats();
    }
}
