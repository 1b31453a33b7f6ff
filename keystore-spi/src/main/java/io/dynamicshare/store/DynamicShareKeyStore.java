package io.dynamicshare.store;

import io.dynamicshare.cache.CacheStats;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Provider;
import java.util.Map;

/**
 * A {@link KeyStore} of type {@code DynamicShareKeyStore} that also offers the operations the standard
 * API has no words for: rewrap to a new KEK version, rekey after a compromise, the inventory (KEK versions,
 * generation, key epoch), and a full verification.
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
public final class DynamicShareKeyStore extends KeyStore implements AutoCloseable {
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
     * Routine rotation: re-wraps the data keys of up to {@code maxEntries} entries (and the store key) with the
     * newest version of {@code targetKek}, leaving every ciphertext, data key and the store key itself untouched.
     * Entries already wrapped by that version are skipped, so calling again after an interruption resumes.
     * Costs one vault unwrap per entry not in the cache; with an RSA KEK, one vault sign for the store key.
     *
     * @param targetKek null, or the configured {@code kek} itself: a store is only ever written with {@code kek}
     *                  (to move to another key, configure it as {@code kek} and list the old one in {@code kek.allow})
     * @param maxEntries batch size, at least 1
     * @return how many entries still need rewrapping
     * @throws KeyStoreException if the store is read-only, the target is not {@code kek}, or a key service fails
     * @throws IllegalArgumentException if {@code maxEntries < 1}
     */
    public int rewrap(String targetKek, int maxEntries) throws KeyStoreException {
        return spi.rewrap(targetKek, maxEntries);
    }

    /**
     * Recovery from a compromise (docs/SECURITY.md): the first call draws a fresh store key (a new key epoch,
     * signed or wrapped by the configured KEK: one vault call); each call then re-encrypts the shares of up to
     * {@code maxEntries} entries under fresh data keys wrapped by the configured KEK. Store after each batch:
     * a rerun resumes an unfinished rekey (entries behind a key epoch of 2 or more). In every other case, once
     * none is behind and also for a store whose only laggards are format-1 entries, a call starts a new rekey
     * with a fresh store key.
     *
     * <pre>{@code
     * while (ks.rekey(500) > 0) {
     *     ks.store(FileStoreParameter.of(file));
     * }
     * ks.store(FileStoreParameter.of(file));
     * }</pre>
     *
     * @param maxEntries batch size, at least 1
     * @return how many entries are still behind the current key epoch
     * @throws KeyStoreException if the store is read-only, an entry cannot be opened, or a key service fails
     * @throws IllegalArgumentException if {@code maxEntries < 1}
     */
    public int rekey(int maxEntries) throws KeyStoreException {
        return spi.rekey(maxEntries);
    }

    /**
     * Compare-and-set: {@code setEntry}, but only if the entry under {@code alias} is still the one that was read,
     * as named by its {@link io.dynamicshare.entry.WalletAttributes#ENTRY_VERSION} attribute. Checked and written
     * under the store's write lock, so two concurrent updates of one wallet can never both land on the same
     * original. The same as {@code setEntry(alias, entry, new ReplaceIfUnchanged(expectedVersion))} on a plain
     * {@code KeyStore}, which is what {@link io.dynamicshare.entry.WalletUpdates} uses.
     *
     * <pre>{@code
     * KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(alias, null);
     * String version = WalletAttributes.get(e, WalletAttributes.ENTRY_VERSION);
     * ks.replaceEntry(alias, version, updated);           // EntryConflictException if someone else got there first
     * }</pre>
     *
     * @param expectedVersion the entry version read (24 hex digits)
     * @throws io.dynamicshare.entry.EntryConflictException if the entry changed or was deleted since; nothing is written
     * @throws KeyStoreException for every reason {@code setEntry} refuses an entry
     */
    public void replaceEntry(String alias, String expectedVersion, KeyStore.Entry entry) throws KeyStoreException {
        setEntry(alias, entry, new io.dynamicshare.entry.ReplaceIfUnchanged(expectedVersion));
    }

    /**
     * Hierarchical mode ({@code kek.mode=hierarchical}): creates branch key version n + 1, which new entries use from
     * now on; older versions stay for reading until {@code rewrap} moves their entries (a local unwrap and wrap per
     * entry, no vault call) and {@code rekey} drops them. One vault call: {@code sign} for an RSA KEK (the wrap is
     * local), {@code wrapKey} for an AES KEK. A file store keeps the new version from its next {@code store}.
     *
     * <pre>{@code
     * long v = ks.rotateBranchKey();                   // e.g. 2
     * while (ks.rewrap(null, 500) > 0) {               // optional: move older entries to v
     *     ks.store(FileStoreParameter.of(file));
     * }
     * ks.store(FileStoreParameter.of(file));
     * }</pre>
     *
     * @return the new version
     * @throws KeyStoreException if the store is read-only or in direct mode, or the key service fails
     */
    public long rotateBranchKey() throws KeyStoreException {
        return spi.rotateBranchKey();
    }

    /** Which KEK versions the store depends on, its generation, key epoch and rekey progress. */
    public KekInventory inventory() throws KeyStoreException {
        return spi.inventory();
    }

    /**
     * Opens every entry (and zeroes what it decrypted), checking every allowed recipient against the entry's
     * key commitment. The store key, entry tags and file MAC were already checked by {@code load}.
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
        return spi.attributes(alias);
    }

    /**
     * Releases the loaded store: a database store flushes its pending access counts, forgets its data keys and
     * closes the pool it opened itself (never a DataSource the application or app server owns). The store must be
     * loaded again before further use. Does nothing to a file on disk; idempotent.
     */
    @Override
    public void close() {
        spi.close();
    }

    /** The loaded backend (migration). */
    StoreBackend backend() throws KeyStoreException {
        return spi.backend();
    }

    /** The context this store was made with (migration). */
    StoreContext context() {
        return spi.context();
    }

    /**
     * The entry exactly as the store file holds it: a DER CMS {@code ContentInfo} with an {@code AuthEnvelopedData}
     * (RFC 5083; docs/FORMAT.md "Entry"), without the container's alias and entry tag. Not secret; nothing is
     * unwrapped. Fed to {@code openssl cms -decrypt -inform DER} with the escrow key, it yields the shares (README
     * "Recovery with OpenSSL alone"); a database backend's entry bytes are these same bytes.
     *
     * <pre>{@code
     * Files.write(Paths.get("entry.der"), ks.entryDer("0xA9bb..."));
     * }</pre>
     *
     * @return a new array, or null for an unknown alias
     * @throws KeyStoreException if the store is not loaded
     */
    public byte[] entryDer(String alias) throws KeyStoreException {
        return spi.entryDer(alias);
    }

    /** Counters of the data-key cache this store uses. */
    public CacheStats cacheStats() {
        return spi.context().cache().stats();
    }
}
