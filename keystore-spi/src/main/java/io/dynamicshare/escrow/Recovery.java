package io.dynamicshare.escrow;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.Messages;
import io.dynamicshare.store.file.UnverifiedStoreFile;
import io.dynamicshare.storekey.StoreKey;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * Restores a store whose KEK may be gone into a new store under the configured KEK, opening every entry with the
 * escrow private key alone (README "Vault or key lost"). Resumable: entries the destination already holds are left
 * alone, and the destination is stored after every {@code batch} restored entries.
 *
 * <p>Authentication (docs/SECURITY.md, "Escrow"): when the source's store key can still be opened (its KEK is
 * allowed and answers), each entry's tag and the file MAC are checked: an entry whose tag fails is not restored, and a
 * file whose MAC fails is treated as unauthenticated (an older genuine entry spliced back passes its tag). When it
 * cannot, nothing binds an entry to the store's writer: an attacker who can write the file and knows the
 * escrow public key can plant an entry that the escrow key opens. Such a recovery runs only when the caller accepts
 * it ({@code acceptUnauthenticated}), and the report lists every entry restored that way.
 *
 * <pre>{@code
 * RecoveryReport r = Recovery.run(oldFile, ctx.keks(), EscrowOpener.load(key), newStore, newFile, 100, false, null);
 * }</pre>
 */
public final class Recovery {
    /** Told after every entry: {@code done} of {@code total} entries handled. */
    public interface Progress {
        void update(int done, int total);
    }

    /** The source's store key cannot be opened and unauthenticated recovery was not accepted. Nothing was written. */
    public static final class UnauthenticatedException extends GeneralSecurityException {
        private static final long serialVersionUID = 1L;

        UnauthenticatedException(String message) {
            super(message);
        }
    }

    private Recovery() {
    }

    /**
     * @param source                the store file to recover (read, never written)
     * @param sourceKeks            the key services as configured: used only to try to open the source's store key
     * @param escrow                the escrow private key
     * @param destination           a loaded store (new, or partly restored by an earlier run) under the configured KEK
     * @param destinationFile       where the destination is stored after each batch and at the end
     * @param batch                 entries restored between two stores, at least 1
     * @param acceptUnauthenticated whether to restore entries when the source's store key cannot be opened
     * @param progress              told after each entry, or null
     * @throws UnauthenticatedException if the store key cannot be opened or the file MAC fails, and
     *                                  {@code acceptUnauthenticated} is false; nothing is written then
     * @throws IOException              if the source cannot be read or is not a store file, or a store fails
     * @throws GeneralSecurityException if the destination cannot be written
     */
    public static RecoveryReport run(Path source, TrustedKeks sourceKeks, EscrowOpener escrow,
                                     DynamicShareKeyStore destination, Path destinationFile, int batch,
                                     boolean acceptUnauthenticated, Progress progress)
            throws IOException, GeneralSecurityException {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1");
        }
        UnverifiedStoreFile file;
        try (InputStream in = Files.newInputStream(source)) {
            file = UnverifiedStoreFile.read(in);
        }
        RecoveryReport report = new RecoveryReport();
        report.storeId = EscrowKey.hex(file.storeId());
        report.generation = file.generation();
        StoreKey key = null;
        try {
            key = StoreKeyAnchor.open(StoreKeyBlock.decode(file.storeKeyBlock()), file.storeId(), sourceKeks);
        } catch (GeneralSecurityException | RuntimeException e) {
            report.storeKeyProblem = e.getMessage();
        }
        try {
            report.storeKeyOpened = key != null;
            if (key != null) {
                report.fileMacVerified = file.fileMacMatches(key);
            }
            // Entry tags alone do not bind an entry to one version of the file (an entry deleted since, spliced back
            // from an older copy, still passes its tag): only a file whose MAC verifies is authenticated as a whole.
            boolean authenticated = key != null && report.fileMacVerified;
            if (!authenticated && !acceptUnauthenticated) {
                throw new UnauthenticatedException(key == null ? "the source store's key cannot be opened ("
                        + report.storeKeyProblem + "), so no entry tag can be checked: an entry planted by anyone who "
                        + "can write the file and knows the escrow public key would be restored as genuine. Recover "
                        + "anyway only after reading README \"Vault or key lost\" (--accept-unauthenticated), and check "
                        + "every restored wallet against the SDK"
                        : "the source store's file MAC does not verify: entries were added, removed, reordered or "
                        + "spliced in from another copy of the file, so an entry's tag does not prove it belongs to the "
                        + "store as it was last written. Nothing was restored. Recover from a genuine copy, or anyway "
                        + "(--accept-unauthenticated: every entry is then reported as unauthenticated) after checking "
                        + "every wallet against the SDK");
            }
            restore(file, key, authenticated, escrow, destination, destinationFile, batch, progress, report);
        } finally {
            if (key != null) {
                key.destroy();
            }
        }
        return report;
    }

    private static void restore(UnverifiedStoreFile file, StoreKey key, boolean authenticated, EscrowOpener escrow,
                                DynamicShareKeyStore destination, Path destinationFile, int batch, Progress progress,
                                RecoveryReport report) throws IOException, GeneralSecurityException {
        int total = file.aliases().size();
        Set<String> seen = new HashSet<>();
        int sinceStore = 0;
        for (int i = 0; i < total; i++) {
            String alias = file.aliases().get(i);
            if (!seen.add(alias)) {
                report.failures.put(alias + " (#" + (i + 1) + ")", Messages.alias(alias) + "appears twice in the store: "
                        + "only the first was considered");
            } else if (destination.containsAlias(alias)) {
                report.alreadyPresent.add(alias);
            } else if (key != null && !file.tagMatches(key, i)) {
                report.failures.put(alias, Messages.alias(alias) + "fails its entry tag (planted, altered, or moved "
                        + "from another alias or store): not restored");
            } else if (restoreOne(file, i, alias, escrow, destination, report)) {
                (authenticated ? report.authenticated : report.unauthenticated).add(alias);
                if (++sinceStore == batch) {
                    destination.store(FileStoreParameter.of(destinationFile));
                    sinceStore = 0;
                }
            }
            if (progress != null) {
                progress.update(i + 1, total);
            }
        }
        destination.store(FileStoreParameter.of(destinationFile));
    }

    /** Opens entry {@code i} with the escrow key and sets it in the destination; records a failure and returns false. */
    private static boolean restoreOne(UnverifiedStoreFile file, int i, String alias, EscrowOpener escrow,
                                      DynamicShareKeyStore destination, RecoveryReport report) {
        byte[] shares = null;
        KeyStore.SecretKeyEntry entry = null;
        try {
            SealedEntry sealed = CmsEnvelope.parse(file.entry(i));
            EntryBinding b = sealed.binding();
            if (!b.alias().equals(alias)) {
                throw new GeneralSecurityException("the entry is bound to another alias");
            }
            if (!b.belongsTo(file.storeId())) {
                throw new GeneralSecurityException("the entry is bound to another store");
            }
            shares = escrow.open(sealed);
            entry = b.identityOnlyAllowed()
                    ? WalletEntry.allowingIdentityOnly(shares, b.metadataJson()) : WalletEntry.of(shares, b.metadataJson());
            destination.setEntry(alias, entry, null);
            return true;
        } catch (javax.crypto.AEADBadTagException e) {
            report.failures.put(alias, Messages.alias(alias) + "does not authenticate under the data key its escrow "
                    + "recipient holds: altered");
        } catch (GeneralSecurityException | RuntimeException e) {
            report.failures.put(alias, e.getMessage() != null && e.getMessage().startsWith(Messages.alias(alias))
                    ? e.getMessage() : Messages.alias(alias) + e.getMessage());
        } finally {
            if (shares != null) {
                Arrays.fill(shares, (byte) 0);
            }
            if (entry != null) {
                ((WalletShareKey) entry.getSecretKey()).destroy();
            }
        }
        return false;
    }
}
