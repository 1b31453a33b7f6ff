package io.dynamicshare.entry;

import io.dynamicshare.metadata.MetadataException;
import io.dynamicshare.metadata.SdkResult;
import io.dynamicshare.metadata.WalletMetadata;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Arrays;

/**
 * Applies the SDK's mutating results to a stored wallet, each as one {@code setEntry}: either the whole
 * update lands or, if anything is wrong, the entry stays exactly as it was.
 *
 * <pre>{@code
 * // after client.updatePassword(...) returned {backupInfo}
 * WalletUpdates.applyPasswordUpdate(ks, alias, updatePasswordJson, null);
 * // after client.refreshWalletAccountShares(...) returned {externalServerKeyShares, backupInfo}
 * WalletUpdates.applyShareRefresh(ks, alias, refreshJson, null);
 * // after client.reshare(...) to THREE_OF_FIVE
 * WalletUpdates.applyReshare(ks, alias, reshareJson, "THREE_OF_FIVE", null);
 * }</pre>
 */
public final class WalletUpdates {
    private WalletUpdates() {
    }

    /**
     * Merges {@code updatePassword}'s {@code backupInfo} into the metadata; the shares stay as they are.
     *
     * @throws KeyStoreException naming the alias, with nothing changed, if the result has no backupInfo, if its
     *     backupInfo holds key-share material (e.g. a whole {@code refreshWalletAccountShares} result given as the
     *     backup info, which would store its {@code secretShare} unencrypted), or if the result carries
     *     {@code externalServerKeyShares}: that is a refresh or reshare result, and applying only its backup info
     *     would drop the new shares (use {@link #applyShareRefresh} or {@link #applyReshare})
     */
    public static void applyPasswordUpdate(KeyStore ks, String alias, byte[] updatePasswordResult,
                                           KeyStore.ProtectionParameter protection) throws GeneralSecurityException {
        SdkResult result = parse(alias, updatePasswordResult);
        if (result.hasExternalServerKeyShares()) {
            throw new KeyStoreException("alias '" + alias + "': the SDK result carries externalServerKeyShares, so it is"
                    + " a refreshWalletAccountShares or reshare result, not updatePassword's {backupInfo}; apply it with"
                    + " applyShareRefresh or applyReshare, which store the new shares and backupInfo together");
        }
        byte[] backupInfo = required(alias, result.backupInfo(), "backupInfo");
        // A merge: if another writer changed the wallet between our read and our write, merge into what is there
        // now (a bounded number of times), so that neither update is lost.
        for (int attempt = 1; ; attempt++) {
            KeyStore.SecretKeyEntry current = existing(ks, alias, protection);
            byte[] shares = current.getSecretKey().getEncoded();
            try {
                WalletMetadata updated = metadataOf(alias, current).withBackupInfo(backupInfo);
                write(ks, alias, rebuild(shares, updated, current), current, protection);
                return;
            } catch (MetadataException e) {
                throw failure(alias, e);
            } catch (KeyStoreException e) {
                if (attempt == MERGE_ATTEMPTS || !(e instanceof EntryConflictException)) {
                    throw e;
                }
            } finally {
                Arrays.fill(shares, (byte) 0);
                destroy(current);
            }
        }
    }

    /** How many times a password update re-reads and merges when another writer got there first. */
    private static final int MERGE_ATTEMPTS = 3;

    /**
     * Writes {@code updated} over the entry {@code read}, as a compare-and-set when the store reports entry versions
     * (a DynamicShareKeyStore does): an update never lands on a wallet that changed since it was read.
     */
    private static void write(KeyStore ks, String alias, KeyStore.Entry updated, KeyStore.Entry read,
                              KeyStore.ProtectionParameter protection) throws KeyStoreException {
        String version = WalletAttributes.get(read, WalletAttributes.ENTRY_VERSION);
        ks.setEntry(alias, updated, version != null ? new ReplaceIfUnchanged(version) : protection);
    }


    /** Replaces shares and backupInfo together with {@code refreshWalletAccountShares}'s result. */
    public static void applyShareRefresh(KeyStore ks, String alias, byte[] refreshResult,
                                         KeyStore.ProtectionParameter protection) throws GeneralSecurityException {
        replace(ks, alias, refreshResult, null, protection);
    }

    /** Replaces shares, backupInfo and the threshold scheme together with {@code reshare}'s result. */
    public static void applyReshare(KeyStore ks, String alias, byte[] reshareResult, String newThresholdScheme,
                                    KeyStore.ProtectionParameter protection) throws GeneralSecurityException {
        if (newThresholdScheme == null) {
            throw new KeyStoreException("alias '" + alias + "': a reshare needs the new thresholdSignatureScheme");
        }
        replace(ks, alias, reshareResult, newThresholdScheme, protection);
    }

    private static void replace(KeyStore ks, String alias, byte[] resultJson, String newScheme,
                                KeyStore.ProtectionParameter protection) throws GeneralSecurityException {
        SdkResult result = parse(alias, resultJson);
        byte[] shares = required(alias, result.externalServerKeyShares(), "externalServerKeyShares");
        try {
            byte[] backupInfo = required(alias, result.backupInfo(), "backupInfo");
            KeyStore.SecretKeyEntry current = existing(ks, alias, protection);
            destroy(current);
            WalletMetadata updated = metadataOf(alias, current).withBackupInfo(backupInfo);
            if (newScheme != null) {
                updated = updated.withThresholdSignatureScheme(newScheme);
            }
            // New shares: never retried over a concurrent change (it may be another refresh whose shares are the
            // current ones); the conflict is reported and nothing is written.
            write(ks, alias, rebuild(shares, updated, current), current, protection);
        } catch (MetadataException e) {
            throw failure(alias, e);
        } finally {
            Arrays.fill(shares, (byte) 0);
        }
    }

    private static void destroy(KeyStore.SecretKeyEntry e) {
        try {
            e.getSecretKey().destroy();
        } catch (javax.security.auth.DestroyFailedException ex) {
            // Only keys of other types can refuse; ours always zero.
        }
    }

    private static KeyStore.SecretKeyEntry rebuild(byte[] shares, WalletMetadata metadata, KeyStore.Entry current) {
        boolean identityOnly = "true".equals(WalletAttributes.get(current, WalletAttributes.ALLOW_IDENTITY_ONLY));
        return identityOnly ? WalletEntry.allowingIdentityOnly(shares, metadata.toJson())
                : WalletEntry.of(shares, metadata.toJson());
    }

    private static KeyStore.SecretKeyEntry existing(KeyStore ks, String alias, KeyStore.ProtectionParameter p)
            throws GeneralSecurityException {
        KeyStore.Entry e = ks.getEntry(alias, p);
        if (!(e instanceof KeyStore.SecretKeyEntry)) {
            throw new KeyStoreException("alias '" + alias + "': no wallet is stored under this alias");
        }
        return (KeyStore.SecretKeyEntry) e;
    }

    private static WalletMetadata metadataOf(String alias, KeyStore.Entry e) throws MetadataException {
        return WalletMetadata.parseText(WalletAttributes.get(e, WalletAttributes.WALLET_METADATA));
    }

    private static SdkResult parse(String alias, byte[] json) throws KeyStoreException {
        try {
            return SdkResult.parse(json);
        } catch (MetadataException e) {
            throw failure(alias, e);
        }
    }

    private static byte[] required(String alias, byte[] value, String field) throws KeyStoreException {
        if (value == null) {
            throw new KeyStoreException("alias '" + alias + "': the SDK result has no " + field);
        }
        return value;
    }

    private static KeyStoreException failure(String alias, MetadataException e) {
        KeyStoreException k = new KeyStoreException("alias '" + alias + "': " + e.getMessage());
        k.initCause(e);
        return k;
    }
}
