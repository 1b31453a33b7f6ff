package io.dynamicshare.cli;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.metadata.MetadataException;
import io.dynamicshare.metadata.SdkResult;
import io.dynamicshare.metadata.ServerKeyShares;
import io.dynamicshare.metadata.WalletMetadata;
import io.dynamicshare.metadata.WalletValidator;

import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * One wallet about to be imported: its metadata and its shares (a copy this object owns and
 * {@link #close() zeroes}). Validated here, before the store is even opened, so that a bad input
 * neither creates an empty store file nor leaves a partial change.
 */
final class WalletImport implements AutoCloseable {
    final WalletMetadata metadata;
    private final byte[] shares;

    private WalletImport(WalletMetadata metadata, byte[] shares) {
        this.metadata = metadata;
        this.shares = shares;
    }

    /** From a {@code createWalletAccount} return (camelCase or snake_case); the caller zeroes {@code json}. */
    static WalletImport fromCreateReturn(byte[] json, String source) {
        try {
            SdkResult r = SdkResult.parse(json);
            if (r.walletMetadata() == null) {
                throw new CliException(ExitCodes.USAGE, source + " has no walletMetadata: expected the whole "
                        + "createWalletAccount return ({walletMetadata, externalServerKeyShares, ...})");
            }
            byte[] shares = r.externalServerKeyShares();
            if (shares == null) {
                throw new CliException(ExitCodes.USAGE, source + " has no externalServerKeyShares: expected the whole "
                        + "createWalletAccount return ({walletMetadata, externalServerKeyShares, ...})");
            }
            return new WalletImport(r.walletMetadata(), shares);
        } catch (MetadataException e) {
            throw new CliException(ExitCodes.USAGE, source + ": " + e.getMessage(), e);
        }
    }

    /** From a walletMetadata document and a shares array; takes ownership of {@code shares}. */
    static WalletImport fromParts(byte[] metadataJson, byte[] shares, String source) {
        try {
            return new WalletImport(WalletMetadata.parse(metadataJson), shares);
        } catch (MetadataException e) {
            Bytes.zero(shares);
            throw new CliException(ExitCodes.USAGE, source + ": " + e.getMessage(), e);
        }
    }

    /**
     * The library's own storage checks (the store repeats them on setEntry), run early for a clean message.
     * Identity-only metadata gets a pointer to the flag that accepts it.
     */
    void validate(boolean allowIdentityOnly) {
        try {
            WalletValidator.validate(metadata, ServerKeyShares.inspect(shares), allowIdentityOnly);
        } catch (MetadataException e) {
            String hint = "";
            if (!allowIdentityOnly && !metadata.hasBackupInfo() && passesWithIdentityOnly()) {
                hint = " (to store it anyway, pass --allow-identity-only)";
            }
            throw new CliException(ExitCodes.USAGE, e.getMessage() + hint, e);
        }
    }

    private boolean passesWithIdentityOnly() {
        try {
            WalletValidator.validate(metadata, ServerKeyShares.inspect(shares), true);
            return true;
        } catch (MetadataException e) {
            return false;
        }
    }

    /** The alias to store under: the given one, else the accountAddress. */
    String alias(String given) {
        if (given != null) {
            if (given.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "--alias must not be empty");
            }
            return given;
        }
        return metadata.accountAddress();
    }

    /**
     * Sets the entry; the temporary key object holding the shares copy is destroyed afterwards. Only
     * metadata that really is identity-only is marked as such: the flag permits, it does not label.
     */
    void store(KeyStore ks, String alias, boolean allowIdentityOnly) throws GeneralSecurityException {
        byte[] metadataJson = metadata.toJson();
        KeyStore.SecretKeyEntry entry = allowIdentityOnly && !metadata.hasBackupInfo()
                ? WalletEntry.allowingIdentityOnly(shares, metadataJson) : WalletEntry.of(shares, metadataJson);
        try {
            ks.setEntry(alias, entry, null);
        } finally {
            Shares.destroy(entry);
        }
    }

    int shareBytes() {
        return shares.length;
    }

    String fingerprint() {
        return Bytes.sha256(shares);
    }

    @Override
    public void close() {
        Bytes.zero(shares);
    }
}
