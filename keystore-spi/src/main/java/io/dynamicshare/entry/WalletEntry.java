package io.dynamicshare.entry;

import io.dynamicshare.metadata.MetadataException;
import io.dynamicshare.metadata.Utf8;

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
 *
 * <p>The metadata bytes must be valid UTF-8: they become the {@link WalletAttributes#WALLET_METADATA} text, and
 * a lenient decoding would store U+FFFD in place of what was given. Everything else about the metadata (JSON,
 * completeness, no share material) is checked by {@code setEntry}, which names the alias.
 */
public final class WalletEntry {
    private WalletEntry() {
    }

    /**
     * An entry for a wallet with full metadata (including its backup info). Copies both arrays.
     *
     * @throws IllegalArgumentException if the metadata is null or not valid UTF-8; for the latter the message
     *     names the problem and its byte offset (e.g. {@code walletMetadata is not valid UTF-8: overlong encoding
     *     at byte offset 15}) and the cause is the {@link MetadataException}
     */
    public static KeyStore.SecretKeyEntry of(byte[] sharesJson, byte[] walletMetadataJson) {
        return new KeyStore.SecretKeyEntry(WalletShareKey.of(sharesJson), attributes(walletMetadataJson, false));
    }

    /**
     * An entry whose metadata may be identity-only (no {@code externalServerKeySharesBackupInfo}). Such a
     * wallet cannot sign or export later with caller-supplied shares; use only when that is understood.
     *
     * @throws IllegalArgumentException as {@link #of(byte[], byte[])}
     */
    public static KeyStore.SecretKeyEntry allowingIdentityOnly(byte[] sharesJson, byte[] walletMetadataJson) {
        return new KeyStore.SecretKeyEntry(WalletShareKey.of(sharesJson), attributes(walletMetadataJson, true));
    }

    private static Set<KeyStore.Entry.Attribute> attributes(byte[] metadataJson, boolean identityOnly) {
        if (metadataJson == null) {
            throw new IllegalArgumentException("walletMetadata is required");
        }
        String text;
        try {
            text = Utf8.decode(metadataJson, "walletMetadata");
        } catch (MetadataException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Set<KeyStore.Entry.Attribute> attrs = new HashSet<>(Arrays.<KeyStore.Entry.Attribute>asList(
                new WalletAttribute(WalletAttributes.WALLET_METADATA, text)));
        if (identityOnly) {
            attrs.add(new WalletAttribute(WalletAttributes.ALLOW_IDENTITY_ONLY, "true"));
        }
        return Collections.unmodifiableSet(attrs);
    }
}
