package io.dynamicshare.store;

import io.dynamicshare.branchkey.BranchKeyring;
import io.dynamicshare.entry.EntryConflictException;
import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.Recipients;
import io.dynamicshare.escrow.EscrowRecipients;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.KeyCommitmentException;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.WrappedKey;

import javax.crypto.AEADBadTagException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableEntryException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * How an entry is sealed and opened, the same over every {@link StoreBackend}: validation, the data key, its wrap
 * by the configured write KEK, the envelope, the key commitment check and the data-key cache.
 *
 * <p>Concurrency: reads take no lock. A write wraps its data key first (the costly part, and a vault call for an
 * AES KEK) and only then takes the backend, so a {@code load} that replaced the backend meanwhile gets the write,
 * sealed for the store it lands in: {@link #replaceBackend} waits for writes in progress to land.
 */
final class EntrySealer {
    final StoreContext ctx;
    /** Hierarchical mode: branch key wraps and unwraps for this store. */
    final BranchKeyring branchKeys;
    private final ReadWriteLock swap = new ReentrantReadWriteLock();
    private volatile StoreBackend backend;

    EntrySealer(StoreContext ctx) {
        this.ctx = ctx;
        this.branchKeys = new BranchKeyring(ctx.keks(), ctx.branchKeys());
    }

    /**
     * Whether new entries wrap their data key under the store's branch key ({@code kek.mode=hierarchical}) rather
     * than by the KEK; unset, the backend's default.
     */
    boolean hierarchical(StoreBackend b) throws KeyStoreException {
        try {
            Boolean configured = ctx.config().hierarchicalMode();
            return configured != null ? configured : b.hierarchicalByDefault();
        } catch (io.dynamicshare.config.ConfigException e) {
            throw new KeyStoreException(e.getMessage(), e);
        }
    }

    /**
     * The loaded backend.
     *
     * @throws KeyStoreException if the store is not loaded
     */
    StoreBackend backend() throws KeyStoreException {
        StoreBackend b = backend;
        if (b == null) {
            throw new KeyStoreException("the DynamicShareKeyStore is not loaded: call load(null, null) for a new "
                    + "store or load(stream, password) for an existing one");
        }
        return b;
    }

    /** The loaded backend, or null before the first load (for audit details). */
    StoreBackend backendOrNull() {
        return backend;
    }

    /** Makes {@code next} the store, after writes in progress landed in the old one; closes the old one. */
    void replaceBackend(StoreBackend next) {
        StoreBackend old;
        swap.writeLock().lock();
        try {
            old = backend;
            backend = next;
        } finally {
            swap.writeLock().unlock();
        }
        if (old != null) {
            old.close();
        }
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
            throw Messages.keyStoreException(alias, e);
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
            return ctx.cache().withKey(sealed, () -> unwrapDataKey(sealed),
                    dek -> CmsEnvelope.open(sealed, dek));
        } catch (AEADBadTagException e) {
            throw Messages.unrecoverable(r.alias, "the entry does not authenticate: it was altered, or moved from another "
                    + "alias or store", e);
        } catch (KekException | KeyCommitmentException e) {
            throw Messages.unrecoverable(r.alias, e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw Messages.unrecoverable(r.alias, "cannot decrypt the entry: " + e.getMessage(), e);
        }
    }

    /**
     * Unwraps an entry's data key: with its branch recipient when it has one (local once the branch key version is
     * cached), else with the first allowed KEK recipient that answers; checked against the key commitment.
     *
     * @return the 32-byte data key; the caller owns and zeroes it
     */
    byte[] unwrapDataKey(SealedEntry sealed) throws GeneralSecurityException {
        BranchRecipient b = sealed.branchRecipient();
        if (b == null) {
            return unwrapDataKey(sealed, sealed.recipients());
        }
        return checked(sealed, branchKeys.unwrap(backend(), sealed.binding().storeId(), b, sealed.binding().alias()));
    }

    /**
     * Unwraps an entry's data key with the first allowed recipient of {@code recipients} that answers and checks it
     * against the entry's key commitment before anyone uses it.
     *
     * @return the 32-byte data key; the caller owns and zeroes it
     */
    byte[] unwrapDataKey(SealedEntry sealed, List<WrappedKey> recipients) throws GeneralSecurityException {
        return checked(sealed, ctx.keks().unwrapAny(recipients));
    }

    private static byte[] checked(SealedEntry sealed, byte[] k) throws GeneralSecurityException {
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
     * Seals and writes an entry; returns the record now under {@code alias}. Validation and the wrap run before the
     * backend is taken; the backend binds the entry to its store id and key epoch while it writes.
     *
     * @param expectedVersion null to write unconditionally; else a compare-and-set on
     *                        {@link io.dynamicshare.entry.WalletAttributes#ENTRY_VERSION}
     * @throws EntryConflictException if the entry changed or was deleted since it was read; nothing is written
     */
    EntryRecord set(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protection, String expectedVersion)
            throws KeyStoreException {
        try (EntryInput in = EntryInput.from(alias, entry, protection)) {
            StoreBackend b = backend();
            final Kek kek = writeKek(alias);
            final boolean hierarchical = hierarchical(b);
            DataKey dek = DataKey.generate();
            try {
                // The costly part (a vault call for an AES KEK, or to make or unwrap a branch key) before any lock.
                final Recipients direct = hierarchical ? null : recipients(kek, wrap(kek, dek, alias), dek, alias);
                if (hierarchical) {
                    prepareBranchKey(b, kek, alias);
                }
                final long created = System.currentTimeMillis();
                EntryRecord record = put(alias, expectedVersion, (storeId, epoch) -> CmsEnvelope.seal(in.shares,
                        new EntryBinding(alias, in.metadataJson, storeId, created, in.identityOnlyAllowed, epoch), dek,
                        hierarchical ? recipients(kek, null, dek, alias) : direct));
                ctx.cache().prime(record.sealed, dek);
                return record;
            } finally {
                dek.destroy();
            }
        }
    }

    /** {@link StoreBackend#put} on the current backend, which a concurrent load cannot replace meanwhile. */
    EntryRecord put(String alias, String expectedVersion, StoreBackend.Sealer sealer) throws KeyStoreException {
        swap.readLock().lock();
        try {
            return backend().put(alias, expectedVersion, sealer);
        } finally {
            swap.readLock().unlock();
        }
    }

    /** Makes and unwraps the active branch key version if needed (one vault call at most), before any lock. */
    void prepareBranchKey(StoreBackend b, Kek kek, String alias) throws KeyStoreException {
        try {
            branchKeys.prepare(b, kek);
        } catch (GeneralSecurityException e) {
            throw Messages.keyStoreException(alias, e);
        }
    }

    /**
     * The recipients of an entry written now ({@code setEntry}, {@code rewrap}, {@code rekey}): {@code direct}, the
     * data key wrapped by the write KEK (direct mode), or when it is null the data key wrapped under the active branch
     * key version of the backend being written (hierarchical mode: call it inside {@link #put}); plus the configured
     * escrow key's recipient in both modes, so that recovery without the vault does not depend on the mode.
     *
     * @throws KeyStoreException naming the alias if the branch key wrap or the escrow wrap fails
     */
    Recipients recipients(Kek kek, WrappedKey direct, DataKey dek, String alias) throws KeyStoreException {
        Recipients store;
        try {
            store = direct != null ? Recipients.of(direct) : Recipients.of(wrapUnderBranchKey(kek, dek, alias));
        } catch (KeyStoreException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw Messages.keyStoreException(alias, e);
        }
        return EscrowRecipients.forEntry(ctx.config().escrow(), store, dek, alias);
    }

    /** The data key wrapped under the active branch key version of the backend being written (called inside put). */
    BranchRecipient wrapUnderBranchKey(Kek kek, DataKey dek, String alias) throws GeneralSecurityException {
        byte[] k = dek.getEncoded();
        try {
            return branchKeys.wrap(backend(), kek, k, alias);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** @return false when there was no such entry */
    boolean delete(String alias) throws KeyStoreException {
        backend();
        writeKek(alias);
        swap.readLock().lock();
        try {
            return backend().delete(alias);
        } finally {
            swap.readLock().unlock();
        }
    }

    static WrappedKey wrap(Kek kek, DataKey dek, String alias) throws KeyStoreException {
        byte[] k = dek.getEncoded();
        try {
            return kek.wrap(k);
        } catch (KekException e) {
            throw Messages.keyStoreException(alias, e);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** A data key for an entry opened by one of its allowed recipients; the caller destroys it. */
    DataKey dataKey(EntryRecord r) throws KeyStoreException {
        try {
            return DataKey.adopt(unwrapDataKey(r.sealed));
        } catch (GeneralSecurityException e) {
            throw Messages.keyStoreException(r.alias, e);
        }
    }
}
