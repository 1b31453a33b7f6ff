package io.dynamicshare.store;

import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.escrow.EscrowRecipients;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.KeyCommitmentException;
import io.dynamicshare.envelope.Recipients;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.storekey.StoreKeyAnchor;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.SecureRandom;
import java.security.UnrecoverableEntryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The loaded store: entries by alias, the store's identity, generation and store key.
 *
 * <p>Concurrency: reads ({@link #get}, {@link #record}, {@link #aliases}) take no lock and may run from
 * any number of threads, also while a write runs; writes ({@link #set}, {@link #delete}, {@link #store},
 * {@link #load} and the maintenance in {@link KeyMaintenance}) are serialised on {@link #writeLock}. Each write
 * publishes a whole new record, so a reader sees the old entry or the new one, never a mix.
 *
 * <p>Writes are only possible with a configured write KEK; the store never picks one from the file.
 */
final class WalletStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    final StoreContext ctx;
    final Object writeLock = new Object();
    private volatile StoreState state;

    WalletStore(StoreContext ctx) {
        this.ctx = ctx;
    }

    void loadEmpty() {
        byte[] id = new byte[StoreFormat.STORE_ID_LENGTH];
        RANDOM.nextBytes(id);
        StoreState s = new StoreState(id, 0);
        s.epoch = 1;
        s.changed = true;
        replaceState(s);
    }

    void load(InputStream in, long minGeneration) throws IOException, GeneralSecurityException {
        StoreImage image = StoreReader.read(in, ctx.keks(), minGeneration, readsFormat1());
        StoreState s = new StoreState(image.storeId, image.formatVersion);
        s.generation = image.generation;
        s.storeKey = image.storeKey;
        s.storeKeyBlock = image.storeKeyBlock;
        s.epoch = image.storeKeyBlock == null ? 1 : image.storeKeyBlock.epoch();
        for (EntryRecord r : image.entries) {
            s.entries.put(r.alias, r);
        }
        s.nextOrder = image.entries.size();
        s.changed = image.formatVersion != StoreFormat.VERSION;
        s.loadedTag = image.fileTag;
        replaceState(s);
    }

    private boolean readsFormat1() throws IOException {
        try {
            return ctx.config().readsFormat1();
        } catch (io.dynamicshare.config.ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private void replaceState(StoreState s) {
        synchronized (writeLock) {
            StoreState old = state;
            state = s;
            if (old != null) {
                for (EntryRecord r : old.entries.values()) {
                    ctx.cache().invalidate(r.sealed);
                }
                old.destroyKeys();
            }
        }
    }

    StoreState state() throws KeyStoreException {
        StoreState s = state;
        if (s == null) {
            throw new KeyStoreException("the DynamicShareKeyStore is not loaded: call load(null, null) for a new "
                    + "store or load(stream, password) for an existing one");
        }
        return s;
    }

    /** The loaded state, or null before the first load (for audit details). */
    StoreState stateOrNull() {
        return state;
    }

    EntryRecord record(String alias) throws KeyStoreException {
        return state().entries.get(alias);
    }

    int size() throws KeyStoreException {
        return state().entries.size();
    }

    /** Aliases in file order. */
    List<String> aliases() throws KeyStoreException {
        List<String> out = new ArrayList<>();
        for (EntryRecord r : state().ordered()) {
            out.add(r.alias);
        }
        return out;
    }

    /**
     * The configured write KEK.
     *
     * @throws KeyStoreException naming the alias (if any) when the store is read-only or the key cannot be opened
     */
    Kek writeKek(String alias) throws KeyStoreException {
        if (!ctx.keks().writable()) {
            throw new KeyStoreException((alias == null ? "" : Messages.alias(alias)) + "the store is read-only: no "
                    + "write KEK is configured. Set 'kek' in the DynamicShare configuration (" + ctx.config().source()
                    + "); a store never chooses its own write key");
        }
        try {
            return ctx.keks().writeKek();
        } catch (KekException e) {
            throw keyStoreException(alias, e);
        }
    }

    /** Decrypts the entry the caller already looked up. */
    KeyStore.SecretKeyEntry get(EntryRecord r) throws UnrecoverableEntryException {
        Set<KeyStore.Entry.Attribute> attributes;
        try {
            attributes = r.attributes(); // before decrypting: a failure leaves no shares to zero
        } catch (StoreIntegrityException e) {
            UnrecoverableEntryException u = new UnrecoverableEntryException(e.getMessage());
            u.initCause(e);
            throw u;
        }
        return new KeyStore.SecretKeyEntry(WalletShareKey.adopt(open(r)), attributes);
    }

    /** The entry's shares, in a new array the caller zeroes. */
    byte[] open(EntryRecord r) throws UnrecoverableEntryException {
        final SealedEntry sealed = r.sealed;
        try {
            return ctx.cache().withKey(sealed, () -> unwrapDataKey(sealed, sealed.recipients()),
                    dek -> CmsEnvelope.open(sealed, dek));
        } catch (AEADBadTagException e) {
            throw unrecoverable(r.alias, "the entry does not authenticate: it was altered, or moved from another "
                    + "alias or store", e);
        } catch (KekException | KeyCommitmentException e) {
            throw unrecoverable(r.alias, e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw unrecoverable(r.alias, "cannot decrypt the entry: " + e.getMessage(), e);
        }
    }

    /**
     * Unwraps an entry's data key with the first allowed recipient that answers and checks it against the
     * entry's key commitment before anyone uses it.
     *
     * @return the 32-byte data key; the caller owns and zeroes it
     */
    byte[] unwrapDataKey(SealedEntry sealed, List<WrappedKey> recipients) throws GeneralSecurityException {
        byte[] k = ctx.keks().unwrapAny(recipients);
        try {
            if (k.length != KeyWrapCiphers.DATA_KEY_LENGTH) {
                throw new KeyCommitmentException("a recipient unwraps to a " + k.length + "-byte key, not a data key");
            }
            CmsEnvelope.checkCommitment(sealed, k);
            return k;
        } catch (GeneralSecurityException | RuntimeException e) {
            Arrays.fill(k, (byte) 0);
            throw e;
        }
    }

    /**
     * Seals and stores an entry; returns the record now under {@code alias}. Validation and the wrap (the costly
     * part, and a vault call for an AES KEK) run outside the write lock; the state is read, and the entry sealed
     * for it, under the lock, so a concurrent {@code load} or {@code rekey} can never swallow the write.
     */
    EntryRecord set(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protection)
            throws KeyStoreException {
        return set(alias, entry, protection, null);
    }

    /**
     * {@link #set}, but only if the entry under {@code alias} is still the write {@code expectedVersion} names
     * ({@link io.dynamicshare.entry.WalletAttributes#ENTRY_VERSION}); null sets unconditionally.
     *
     * @throws io.dynamicshare.entry.EntryConflictException if it changed or was deleted since it was read; nothing is written
     */
    EntryRecord set(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protection, String expectedVersion)
            throws KeyStoreException {
        try (EntryInput in = EntryInput.from(alias, entry, protection)) {
            state();
            Kek kek = writeKek(alias);
            DataKey dek = DataKey.generate();
            try {
                Recipients wrapped = EscrowRecipients.forEntry(ctx.config().escrow(), wrap(kek, dek, alias), dek, alias);
                byte[] metadata = in.metadataJson;
                long created = System.currentTimeMillis();
                EntryRecord record;
                synchronized (writeLock) {
                    StoreState s = state();
                    if (expectedVersion != null) {
                        EntryRecord current = s.entries.get(alias);
                        if (current == null || !current.sealed.version().equals(expectedVersion)) {
                            throw new io.dynamicshare.entry.EntryConflictException(Messages.alias(alias) + (current == null
                                    ? "the entry was deleted" : "the entry was changed by another writer")
                                    + " since it was read; nothing was written: read it again and reapply the update");
                        }
                    }
                    EntryBinding binding = new EntryBinding(alias, metadata, s.storeId, created,
                            in.identityOnlyAllowed, s.epoch);
                    record = put(s, alias, CmsEnvelope.seal(in.shares, binding, dek, wrapped));
                }
                ctx.cache().prime(record.sealed, dek);
                return record;
            } catch (GeneralSecurityException e) {
                throw keyStoreException(alias, e);
            } finally {
                dek.destroy();
            }
        }
    }

    /** Puts {@code sealed} under {@code alias}, keeping a replaced alias's place. Caller holds the write lock. */
    EntryRecord put(StoreState s, String alias, SealedEntry sealed) {
        EntryRecord old = s.entries.get(alias);
        EntryRecord record = new EntryRecord(alias, sealed, old != null ? old.order : s.nextOrder++);
        s.entries.put(alias, record);
        s.changed = true;
        if (old != null) {
            ctx.cache().invalidate(old.sealed);
        }
        return record;
    }

    static WrappedKey wrap(Kek kek, DataKey dek, String alias) throws KeyStoreException {
        byte[] k = dek.getEncoded();
        try {
            return kek.wrap(k);
        } catch (KekException e) {
            throw keyStoreException(alias, e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    void delete(String alias) throws KeyStoreException {
        state();
        writeKek(alias);
        synchronized (writeLock) {
            StoreState s = state();
            EntryRecord old = s.entries.remove(alias);
            if (old != null) {
                s.changed = true;
                ctx.cache().invalidate(old.sealed);
            }
        }
    }

    /**
     * Writes the store: as the next generation when anything changed since the last load or store, else as the
     * same one. A new or format-1 store gets its store key now.
     */
    /** @return the file MAC of what was written (its last 32 bytes) */
    byte[] store(OutputStream out) throws KeyStoreException, IOException {
        prepareStore();
        synchronized (writeLock) {
            StoreState s = state();
            prepareStore();
            long next = s.changed ? s.generation + 1 : s.generation;
            byte[] tag = StoreWriter.write(s.storeId, next, s.storeKey, s.storeKeyBlock, s.ordered(), out);
            s.generation = next;
            s.changed = false;
            return tag;
        }
    }

    /**
     * What a store needs before it touches any file: a write KEK, and a store key (made now, for a new or format-1
     * store: one vault sign or wrapKey). A failure here leaves no trace on disk, not even a lock file.
     */
    private void prepareStore() throws KeyStoreException {
        state();
        writeKek(null);
        synchronized (writeLock) {
            StoreState s = state();
            if (s.storeKey == null) {
                try {
                    StoreKeyAnchor.Made made = StoreKeyAnchor.create(s.storeId, s.epoch, ctx.keks());
                    s.storeKey = made.key;
                    s.storeKeyBlock = made.block;
                } catch (KekException e) {
                    throw keyStoreException(null, e);
                }
            }
        }
    }

    /**
     * Stores to a file: under the file's lock, checks that the file is still what this store last loaded or wrote
     * there (unless {@code overwrite}), writes atomically, then removes temporary files of crashed writes.
     *
     * @throws StoreConflictException if another writer stored the file meanwhile
     */
    void storeToFile(java.nio.file.Path file, boolean overwrite) throws KeyStoreException, IOException {
        java.nio.file.Path path = file.toAbsolutePath().normalize();
        prepareStore();
        try (StoreFileLock lock = StoreFileLock.acquire(path)) {
            StoreState s = state();
            if (!overwrite) {
                byte[] expected;
                synchronized (writeLock) {
                    expected = s.expectedTag(path);
                }
                lock.requireTag(expected);
            }
            final byte[][] tag = new byte[1][];
            try {
                AtomicFile.replace(path, out -> tag[0] = store(out));
            } catch (GeneralSecurityException e) {
                throw new IOException(e.getMessage(), e);
            }
            synchronized (writeLock) {
                s.storedTags.put(path, tag[0]);
            }
            lock.removeStaleTemps();
        }
    }

    /**
     * A KeyStoreException naming the alias once: a cause that already is one (or already names the alias) is not
     * prefixed again, whatever path it came up through.
     */
    static KeyStoreException keyStoreException(String alias, Exception cause) {
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof KeyStoreException && (alias == null || prefixed(alias, message).equals(message))) {
            return (KeyStoreException) cause; // already names the alias (wrap() throws it to set(), which lands here)
        }
        KeyStoreException e = new KeyStoreException(alias == null ? message : prefixed(alias, message));
        e.initCause(cause);
        return e;
    }

    static UnrecoverableEntryException unrecoverable(String alias, String message, Exception cause) {
        UnrecoverableEntryException e = new UnrecoverableEntryException(prefixed(alias, message));
        e.initCause(cause);
        return e;
    }

    /** {@code message} with the alias prefix, unless it already starts with it: a message names its alias once. */
    static String prefixed(String alias, String message) {
        String prefix = Messages.alias(alias);
        return message != null && message.startsWith(prefix) ? message : prefix + message;
    }
}
