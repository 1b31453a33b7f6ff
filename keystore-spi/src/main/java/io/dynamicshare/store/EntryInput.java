package io.dynamicshare.store;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.metadata.MetadataException;
import io.dynamicshare.metadata.ServerKeyShares;
import io.dynamicshare.metadata.WalletMetadata;
import io.dynamicshare.metadata.WalletValidator;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Arrays;
import java.util.Map;

/**
 * A validated wallet about to be sealed: the shares (a copy this object owns and {@link #close() zeroes})
 * and the parsed metadata. Every check runs before anything in the store changes, so a rejected entry
 * leaves the store as it was.
 */
final class EntryInput implements AutoCloseable {
    final String alias;
    final byte[] shares;
    final WalletMetadata metadata;
    /** The metadata's exact JSON bytes, copied out once: what the entry is bound to. */
    final byte[] metadataJson;
    final boolean identityOnlyAllowed;

    private EntryInput(String alias, byte[] shares, WalletMetadata metadata, boolean identityOnlyAllowed) {
        this.alias = alias;
        this.shares = shares;
        this.metadata = metadata;
        this.metadataJson = metadata.toJson();
        this.identityOnlyAllowed = identityOnlyAllowed;
    }

    static EntryInput from(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protection)
            throws KeyStoreException {
        EntryLimits.checkAlias(alias);
        Protections.check(alias, protection);
        if (!(entry instanceof KeyStore.SecretKeyEntry)) {
            throw new KeyStoreException(Messages.alias(alias) + (entry == null ? "entry is null"
                    : entry.getClass().getSimpleName() + " is not supported: DynamicShareKeyStore holds wallet key "
                    + "shares as KeyStore.SecretKeyEntry only"));
        }
        KeyStore.SecretKeyEntry ske = (KeyStore.SecretKeyEntry) entry;
        String metadataJson = null;
        boolean identityOnly = false;
        for (KeyStore.Entry.Attribute a : ske.getAttributes()) {
            String name = a.getName();
            if (WalletAttributes.WALLET_METADATA.equals(name)) {
                metadataJson = a.getValue();
            } else if (WalletAttributes.ALLOW_IDENTITY_ONLY.equals(name)) {
                identityOnly = Boolean.parseBoolean(a.getValue());
            } else if (!WalletAttributes.DERIVED.contains(name) && !WalletAttributes.KEK_ID.equals(name)
                    && !WalletAttributes.ENTRY_VERSION.equals(name)) {
                throw new KeyStoreException(Messages.alias(alias) + "attribute '" + name + "' is not supported; "
                        + "the only input attributes are " + WalletAttributes.WALLET_METADATA + " and "
                        + WalletAttributes.ALLOW_IDENTITY_ONLY);
            }
        }
        if (metadataJson == null) {
            throw new KeyStoreException(Messages.alias(alias) + "walletMetadata is missing: add the attribute "
                    + WalletAttributes.WALLET_METADATA + " (see WalletEntry.of)");
        }
        byte[] shares = encodedShares(alias, ske.getSecretKey());
        try {
            // A String's UTF-8 length is at least its char count: a huge one is refused before it is encoded.
            EntryLimits.checkSizes(alias, shares.length, metadataJson.length());
            WalletMetadata metadata = WalletMetadata.parseText(metadataJson);
            EntryInput input = new EntryInput(alias, shares, metadata, identityOnly);
            EntryLimits.checkSizes(alias, shares.length, input.metadataJson.length);
            WalletValidator.validate(metadata, ServerKeyShares.inspect(shares), identityOnly);
            checkDerived(alias, ske, metadata);
            return input;
        } catch (MetadataException e) {
            Arrays.fill(shares, (byte) 0);
            KeyStoreException k = new KeyStoreException(Messages.alias(alias) + e.getMessage());
            k.initCause(e);
            throw k;
        } catch (KeyStoreException | RuntimeException e) {
            Arrays.fill(shares, (byte) 0);
            throw e;
        }
    }

    private static byte[] encodedShares(String alias, SecretKey key) throws KeyStoreException {
        if (key.isDestroyed()) {
            throw new KeyStoreException(Messages.alias(alias) + "the secret key was destroyed");
        }
        if (!"RAW".equalsIgnoreCase(key.getFormat())) {
            throw new KeyStoreException(Messages.alias(alias) + "the secret key's encoding must be RAW (the shares' "
                    + "JSON bytes), not " + key.getFormat());
        }
        byte[] shares = key.getEncoded();
        if (shares == null || shares.length == 0) {
            throw new KeyStoreException(Messages.alias(alias) + "externalServerKeyShares are empty");
        }
        return shares;
    }

    /** Per-field attributes are derived; one given on input must agree with the metadata. */
    private static void checkDerived(String alias, KeyStore.SecretKeyEntry entry, WalletMetadata m)
            throws KeyStoreException {
        Map<String, String> fields = null;
        for (KeyStore.Entry.Attribute a : entry.getAttributes()) {
            int i = WalletAttributes.DERIVED.indexOf(a.getName());
            if (i >= 0) {
                if (fields == null) {
                    fields = m.wellKnownFields();
                }
                String field = a.getName().substring(a.getName().indexOf('.') + 1);
                String expected = fields.get(field);
                if (!a.getValue().equals(expected)) {
                    throw new KeyStoreException(Messages.alias(alias) + "attribute " + a.getName() + " says '"
                            + a.getValue() + "' but walletMetadata." + field + " is '" + expected + "'");
                }
            }
        }
    }

    @Override
    public void close() {
        Arrays.fill(shares, (byte) 0);
    }
}
