package io.dynamicshare.store;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.escrow.EscrowKey;
import io.dynamicshare.escrow.EscrowRecipients;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.Recipients;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.storekey.StoreKeyAnchor;

import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.security.UnrecoverableEntryException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operations the KeyStore API has no words for: {@code rewrap} (routine KEK rotation), {@code rekey}
 * (recovery from a compromise), the inventory and a full verification. All writes go to the configured write
 * KEK, under the store's write lock, and take effect in the file at the next {@code store}.
 */
final class KeyMaintenance {
    private final WalletStore store;

    KeyMaintenance(WalletStore store) {
        this.store = store;
    }

    /** See {@link DynamicShareKeyStore#rewrap}. */
    int rewrap(String targetRef, int maxEntries) throws KeyStoreException {
        requireBatch(maxEntries);
        store.state();
        Kek target = store.writeKek(null);
        if (targetRef != null && !targetRef.equals(store.ctx.keks().policy().writeKek())) {
            throw new KeyStoreException("rewrap wraps with the configured 'kek' (" + store.ctx.keks().policy().writeKek()
                    + ") only, not " + targetRef + ": to move to another key, set kek=" + targetRef + " and list the "
                    + "old key in 'kek.allow' (" + store.ctx.config().source() + ")");
        }
        synchronized (store.writeLock) {
            StoreState s = store.state();
            KekId newest = newest(target);
            try {
                if (s.storeKey != null && !wrappedBy(s.storeKeyBlock.recipients(), newest)) {
                    s.storeKeyBlock = StoreKeyAnchor.rewrap(s.storeKey, target);
                    s.changed = true;
                }
            } catch (KekException e) {
                throw WalletStore.keyStoreException(null, e);
            }
            int done = 0;
            int remaining = 0;
            for (EntryRecord r : s.ordered()) {
                if (wrappedBy(r.sealed.recipients(), newest) && EscrowRecipients.upToDate(escrow(), r.sealed)) {
                    continue;
                }
                if (done == maxEntries) {
                    remaining++;
                    continue;
                }
                DataKey dek = dataKey(r);
                try {
                    SealedEntry moved = r.sealed.withRecipients(EscrowRecipients.forEntry(escrow(),
                            WalletStore.wrap(target, dek, r.alias), dek, r.alias));
                    store.put(s, r.alias, moved);
                } finally {
                    dek.destroy();
                }
                done++;
            }
            return remaining;
        }
    }

    /**
     * See {@link DynamicShareKeyStore#rekey}. With no entry left behind the current key epoch, starts a new one
     * (a fresh store key); then re-seals up to {@code maxEntries} entries behind it with fresh data keys.
     */
    int rekey(int maxEntries) throws KeyStoreException {
        requireBatch(maxEntries);
        store.state();
        Kek kek = store.writeKek(null);
        synchronized (store.writeLock) {
            StoreState s = store.state();
            // A rekey is resumed only when an earlier one (epoch 2 on) left entries behind AND the store key of that
            // epoch is wrapped (and, for RSA, signed) by nothing but the newest version of the configured kek: a
            // block that another version made (an old, possibly compromised one, or one A2 forged with it) is
            // never kept. Otherwise, and for a store whose only laggards are format-1 entries, a fresh store key.
            if (s.countBehind() == 0 || s.epoch == 1 || !madeBy(s, newest(kek))) {
                try {
                    StoreKeyAnchor.Made made = StoreKeyAnchor.create(s.storeId, s.epoch + 1, store.ctx.keks());
                    s.destroyKeys();
                    s.storeKey = made.key;
                    s.storeKeyBlock = made.block;
                    s.epoch = s.epoch + 1;
                    s.changed = true;
                } catch (KekException e) {
                    throw WalletStore.keyStoreException(null, e);
                }
            }
            int done = 0;
            for (EntryRecord r : s.ordered()) {
                if (done == maxEntries) {
                    break;
                }
                if (s.behind(r)) {
                    reseal(s, r, kek);
                    done++;
                }
            }
            return s.countBehind();
        }
    }

    /** Opens an entry and seals its shares again under a fresh data key and the current epoch. */
    private void reseal(StoreState s, EntryRecord r, Kek kek) throws KeyStoreException {
        byte[] shares;
        try {
            shares = store.open(r);
        } catch (UnrecoverableEntryException e) {
            throw WalletStore.keyStoreException(r.alias, e);
        }
        DataKey dek = DataKey.generate();
        try {
            EntryBinding old = r.sealed.binding();
            EntryBinding binding = new EntryBinding(r.alias, old.metadataJson(), s.storeId, old.creationTime(),
                    old.identityOnlyAllowed(), s.epoch);
            Recipients wrapped = EscrowRecipients.forEntry(escrow(), WalletStore.wrap(kek, dek, r.alias), dek, r.alias);
            store.put(s, r.alias, CmsEnvelope.seal(shares, binding, dek, wrapped));
        } catch (GeneralSecurityException e) {
            throw WalletStore.keyStoreException(r.alias, e);
        } finally {
            dek.destroy();
            Arrays.fill(shares, (byte) 0);
        }
    }

    /** The configured escrow key, or null. */
    private EscrowKey escrow() {
        return store.ctx.config().escrow();
    }

    private static List<SealedEntry> sealedEntries(StoreState s) {
        List<SealedEntry> out = new java.util.ArrayList<>(s.entries.size());
        for (EntryRecord r : s.entries.values()) {
            out.add(r.sealed);
        }
        return out;
    }

    private DataKey dataKey(EntryRecord r) throws KeyStoreException {
        try {
            return DataKey.adopt(store.unwrapDataKey(r.sealed, r.sealed.recipients()));
        } catch (GeneralSecurityException e) {
            throw WalletStore.keyStoreException(r.alias, e);
        }
    }

    private static KekId newest(Kek kek) throws KeyStoreException {
        try {
            return kek.newestVersion();
        } catch (KekException e) {
            throw WalletStore.keyStoreException(null, e);
        }
    }

    /** True when the store key block is wrapped and signed only by {@code version}. */
    private static boolean madeBy(StoreState s, KekId version) {
        if (s.storeKeyBlock == null) {
            return false;
        }
        for (WrappedKey w : s.storeKeyBlock.recipients()) {
            if (!w.kekId().equals(version)) {
                return false;
            }
        }
        for (io.dynamicshare.kek.KekSignature sig : s.storeKeyBlock.signatures()) {
            if (!sig.signer().equals(version)) {
                return false;
            }
        }
        return true;
    }

    private static boolean wrappedBy(List<WrappedKey> recipients, KekId version) {
        for (WrappedKey w : recipients) {
            if (w.kekId().equals(version)) {
                return true;
            }
        }
        return false;
    }

    private static void requireBatch(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
    }

    /** See {@link DynamicShareKeyStore#inventory}. */
    KekInventory inventory() throws KeyStoreException {
        StoreState s = store.state();
        Map<String, Integer> counts = new TreeMap<>();
        int withoutCommitment = 0;
        for (EntryRecord r : s.entries.values()) {
            for (WrappedKey w : r.sealed.recipients()) {
                counts.merge(w.kekId().value(), 1, Integer::sum);
            }
            if (!r.sealed.binding().isKeyCommitting()) {
                withoutCommitment++;
            }
        }
        return new KekInventory(counts, storeKekIds(s), s.generation, s.epoch, s.formatRead, withoutCommitment,
                s.countBehind(), s.storeId, EscrowRecipients.inventory(escrow(), sealedEntries(s)));
    }

    /**
     * See {@link DynamicShareKeyStore#verify}. Every allowed recipient of every entry is unwrapped and checked
     * against the entry's key commitment, then the entry is decrypted (and the result zeroed).
     */
    Map<String, String> verify() throws KeyStoreException {
        Map<String, String> failures = new LinkedHashMap<>();
        for (EntryRecord r : store.state().ordered()) {
            try {
                if (r.sealed.recipients().size() > 1) {
                    for (WrappedKey w : r.sealed.recipients()) {
                        if (store.ctx.keks().policy().allows(w.kekId())) {
                            Arrays.fill(store.unwrapDataKey(r.sealed, Collections.singletonList(w)), (byte) 0);
                        }
                    }
                }
                Arrays.fill(store.open(r), (byte) 0);
            } catch (UnrecoverableEntryException e) {
                failures.put(r.alias, e.getMessage());
            } catch (GeneralSecurityException e) {
                failures.put(r.alias, Messages.alias(r.alias) + e.getMessage());
            }
        }
        return failures;
    }

    /** The KEK version(s) that wrap the store key, or null before a new store is first written. */
    static String storeKekIds(StoreState s) {
        if (s == null || s.storeKeyBlock == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (WrappedKey w : s.storeKeyBlock.recipients()) {
            b.append(b.length() == 0 ? "" : ",").append(w.kekId());
        }
        return b.toString();
    }
}
