package io.dynamicshare.entry;

import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * Builds the {@link KeyStore.SecretKeyEntry} a wallet is stored as: its shares as the key, its
 * walletMetadata as an attribute. The store derives the per-field attributes itself.
 *
 * <pre>{@code
 * KeyStore.SecretKeyEntry entry = WalletEntry.of(sharesJson, walletMetadataJson);
 * ks.setEntry(walletMetadata.accountAddress, entry, null);
 * }</pre>
 */
public final class WalletEntry {
    private WalletEntry() {
    }

    /** An entry for a wallet with full metadata (including its backup info). Copies both arrays. */
    public static KeyStore.SecretKeyEntry of(byte[] sharesJson, byte[] walletMetadataJson) {
        return new KeyStore.SecretKeyEntry(WalletShareKey.of(sharesJson), attributes(walletMetadataJson, false));
    }

    /**
     * An entry whose metadata may be identity-only (no {@code externalServerKeySharesBackupInfo}). Such a
     * wallet cannot sign or export later with caller-supplied shares; use only when that is understood.
     */
    public static KeyStore.SecretKeyEntry allowingIdentityOnly(byte[] sharesJson, byte[] walletMetadataJson) {
        return new KeyStore.SecretKeyEntry(WalletShareKey.of(sharesJson), attributes(walletMetadataJson, true));
    }

    private static Set<KeyStore.Entry.Attribute> attributes(byte[] metadataJson, boolean identityOnly) {
        if (metadataJson == null) {
            throw new IllegalArgumentException("walletMetadata is required");
        }
        Set<KeyStore.Entry.Attribute> attrs = new HashSet<>(Arrays.<KeyStore.Entry.Attribute>asList(
                new WalletAttribute(WalletAttributes.WALLET_METADATA, new String(metadataJson, StandardCharsets.UTF_8))));
        if (identityOnly) {
            attrs.add(new WalletAttribute(WalletAttributes.ALLOW_IDENTITY_ONLY, "true"));
        }
        return Collections.unmodifiableSet(attrs);
    }
}
