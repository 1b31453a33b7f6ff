package io.dynamicshare.store;

import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.WrappedKey;

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
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loaded store: entries by alias and the store's identity and MAC key.
 *
 * <p>Concurrency: reads ({@link #get}, {@link #record}, {@link #aliases}) take no lock and may run from
 * any number of threads, also while a write runs; writes ({@link #set}, {@link #delete}, {@link #store},
 * {@link #load}) are serialised among themselves. Each write publishes a whole new record, so a reader
 * sees the old entry or the new one, never a mix.
 */
final class WalletStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreContext ctx;
    private final Object writeLock = new Object();
    private volatile State state;

    /** Everything a load replaces at once. */
    private static final class State {
        final byte[] storeId;
        final ConcurrentHashMap<String, EntryRecord> entries = new ConcurrentHashMap<>();
        /** Null until a new store is first written: creating a store needs no key service. */
        DataKey macKey;
        List<WrappedKey> macKeyWrapped;
        long nextOrder;

        State(byte[] storeId) {
            this.storeId = storeId;
        }
    }

    WalletStore(StoreContext ctx) {
        this.ctx = ctx;
    }

    void loadEmpty() {
        byte[] id = new byte[StoreFormat.STORE_ID_LENGTH];
        RANDOM.nextBytes(id);
        replaceState(new State(id));
    }

    void load(InputStream in) throws IOException, GeneralSecurityException {
        StoreImage image = StoreReader.read(in, ctx.resolver());
        State s = new State(image.storeId);
        s.macKey = image.macKey;
        s.macKeyWrapped = image.macKeyWrapped;
        for (EntryRecord r : image.entries) {
            s.entries.put(r.alias, r);
        }
        s.nextOrder = image.entries.size();
        replaceState(s);
    }

    private void replaceState(State s) {
        synchronized (writeLock) {
            State old = state;
            state = s;
            if (old != null) {
                for (EntryRecord r : old.entries.values()) {
                    ctx.cache().invalidate(r.sealed);
                }
                if (old.macKey != null) {
                    old.macKey.destroy();
                }
            }
        }
    }

    boolean isLoaded() {
        return state != null;
    }

    private State state() throws KeyStoreException {
        State s = state;
        if (s == null) {
            throw new KeyStoreException("the DynamicShareKeyStore is not loaded: call load(null, null) for a new "
                    + "store or load(stream, password) for an existing one");
        }
        return s;
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
        for (EntryRecord r : ordered(state())) {
            out.add(r.alias);
        }
        return out;
    }

    private static List<EntryRecord> ordered(State s) {
        List<EntryRecord> records = new ArrayList<>(s.entries.values());
        Collections.sort(records, Comparator.comparingLong(r -> r.order));
        return records;
    }

    /** The key new entries are wrapped with: the configured one, else the one that wraps this store's MAC key. */
    String defaultKekReference() throws KeyStoreException {
        String configured = ctx.config().kek();
        if (configured != null) {
            return configured;
        }
        State s = state();
        return s.macKeyWrapped == null ? null : s.macKeyWrapped.get(0).kekId().value();
    }

    private Kek defaultKek(String alias) throws KeyStoreException {
        String ref = defaultKekReference();
        if (ref == null) {
            throw new KeyStoreException((alias == null ? "" : Messages.alias(alias)) + "no KEK is configured for new "
                    + "entries: set 'kek' in the DynamicShare configuration (" + ctx.config().source() + ")");
        }
        try {
            return ctx.resolver().resolve(ref);
        } catch (KekException e) {
            throw keyStoreException(alias, e);
        }
    }

    /** Decrypts the entry the caller already looked up. */
    KeyStore.SecretKeyEntry get(EntryRecord r) throws UnrecoverableEntryException {
        byte[] shares = open(r);
        return new KeyStore.SecretKeyEntry(WalletShareKey.adopt(shares), r.attributes());
    }

    private byte[] open(EntryRecord r) throws UnrecoverableEntryException {
        final SealedEntry sealed = r.sealed;
        try {
            return ctx.cache().withKey(sealed, () -> Unwrapping.unwrapAny(sealed.recipients(), ctx.resolver()),
                    dek -> CmsEnvelope.open(sealed, dek));
        } catch (AEADBadTagException e) {
            throw unrecoverable(r.alias, "the entry does not authenticate: it was altered, or moved from another "
                    + "alias or store", e);
        } catch (KekException e) {
            throw unrecoverable(r.alias, e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw unrecoverable(r.alias, "cannot decrypt the entry: " + e.getMessage(), e);
        }
    }

    /** Seals and stores an entry; returns the record now under {@code alias}. */
    EntryRecord set(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protection)
            throws KeyStoreException {
        try (EntryInput in = EntryInput.from(alias, entry, protection)) {
            State s = state();
            Kek kek = defaultKek(alias);
            DataKey dek = DataKey.generate();
            try {
                WrappedKey wrapped = wrap(kek, dek, alias);
                EntryBinding binding = new EntryBinding(alias, in.metadata.toJson(), s.storeId,
                        System.currentTimeMillis(), in.identityOnlyAllowed);
                SealedEntry sealed = CmsEnvelope.seal(in.shares, binding, dek, Collections.singletonList(wrapped));
                EntryRecord record;
                synchronized (writeLock) {
                    EntryRecord old = s.entries.get(alias);
                    record = new EntryRecord(alias, sealed, old != null ? old.order : s.nextOrder++);
                    s.entries.put(alias, record);
                    if (old != null) {
                        ctx.cache().invalidate(old.sealed);
                    }
                }
                ctx.cache().prime(sealed, dek);
                return record;
            } catch (GeneralSecurityException e) {
                throw keyStoreException(alias, e);
            } finally {
                dek.destroy();
            }
        }
    }

    private static WrappedKey wrap(Kek kek, DataKey dek, String alias) throws KeyStoreException {
        byte[] k = dek.getEncoded();
        try {
            return kek.wrap(k);
        } catch (KekException e) {
            throw keyStoreException(alias, e);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    void delete(String alias) throws KeyStoreException {
        State s = state();
        synchronized (writeLock) {
            EntryRecord old = s.entries.remove(alias);
            if (old != null) {
                ctx.cache().invalidate(old.sealed);
            }
        }
    }

    void store(OutputStream out) throws KeyStoreException, IOException {
        State s = state();
        synchronized (writeLock) {
            if (s.macKey == null) {
                DataKey macKey = DataKey.generate();
                WrappedKey wrapped = wrap(defaultKek(null), macKey, null);
                s.macKey = macKey;
                s.macKeyWrapped = Collections.singletonList(wrapped);
            }
            try {
                StoreWriter.write(new StoreImage(s.storeId, s.macKey, s.macKeyWrapped, ordered(s)), out);
            } catch (GeneralSecurityException e) {
                throw keyStoreException(null, e);
            }
        }
    }

    /** See {@link DynamicShareKeyStore#rewrap}. */
    int rewrap(String targetRef, int maxEntries) throws KeyStoreException {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        String ref = targetRef != null ? targetRef : defaultKekReference();
        Kek target = defaultKekFor(ref);
        State s = state();
        synchronized (writeLock) {
            KekId newest = newest(target);
            if (s.macKey != null && !wrappedBy(s.macKeyWrapped, newest)) {
                s.macKeyWrapped = Collections.singletonList(wrap(target, s.macKey, null));
            }
            int done = 0;
            int remaining = 0;
            for (EntryRecord r : ordered(s)) {
                if (wrappedBy(r.sealed.recipients(), newest)) {
                    continue;
                }
                if (done == maxEntries) {
                    remaining++;
                    continue;
                }
                SealedEntry moved;
                DataKey dek = null;
                try {
                    dek = DataKey.adopt(Unwrapping.unwrapAny(r.sealed.recipients(), ctx.resolver()));
                    moved = r.sealed.withRecipients(Collections.singletonList(wrap(target, dek, r.alias)));
                } catch (KekException e) {
                    throw keyStoreException(r.alias, e);
                } finally {
                    if (dek != null) {
                        dek.destroy();
                    }
                }
                s.entries.put(r.alias, new EntryRecord(r.alias, moved, r.order));
                ctx.cache().invalidate(r.sealed);
                done++;
            }
            return remaining;
        }
    }

    private Kek defaultKekFor(String ref) throws KeyStoreException {
        if (ref == null) {
            return defaultKek(null);
        }
        try {
            return ctx.resolver().resolve(ref);
        } catch (KekException e) {
            throw keyStoreException(null, e);
        }
    }

    private static KekId newest(Kek kek) throws KeyStoreException {
        try {
            return kek.newestVersion();
        } catch (KekException e) {
            throw keyStoreException(null, e);
        }
    }

    private static boolean wrappedBy(List<WrappedKey> recipients, KekId version) {
        for (WrappedKey w : recipients) {
            if (w.kekId().equals(version)) {
                return true;
            }
        }
        return false;
    }

    /** See {@link DynamicShareKeyStore#inventory}. */
    KekInventory inventory() throws KeyStoreException {
        State s = state();
        Map<String, Integer> counts = new TreeMap<>();
        for (EntryRecord r : s.entries.values()) {
            for (WrappedKey w : r.sealed.recipients()) {
                counts.merge(w.kekId().value(), 1, Integer::sum);
            }
        }
        return new KekInventory(counts, storeKekIds());
    }

    /** See {@link DynamicShareKeyStore#verify}. */
    Map<String, String> verify() throws KeyStoreException {
        Map<String, String> failures = new LinkedHashMap<>();
        for (EntryRecord r : ordered(state())) {
            try {
                java.util.Arrays.fill(open(r), (byte) 0);
            } catch (UnrecoverableEntryException e) {
                failures.put(r.alias, e.getMessage());
            }
        }
        return failures;
    }

    /** The KEK that wraps the store MAC key, or null before the first store of a new store. */
    String storeKekIds() {
        State s = state;
        return s == null || s.macKeyWrapped == null ? null : s.macKeyWrapped.get(0).kekId().value();
    }

    static KeyStoreException keyStoreException(String alias, Exception cause) {
        KeyStoreException e = new KeyStoreException((alias == null ? "" : Messages.alias(alias)) + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    private static UnrecoverableEntryException unrecoverable(String alias, String message, Exception cause) {
        UnrecoverableEntryException e = new UnrecoverableEntryException(Messages.alias(alias) + message);
        e.initCause(cause);
        return e;
    }
}
