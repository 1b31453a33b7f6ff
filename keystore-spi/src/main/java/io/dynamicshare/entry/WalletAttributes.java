package io.dynamicshare.entry;

import io.dynamicshare.metadata.WalletMetadata;

import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The attribute names of a wallet entry. {@link #WALLET_METADATA} carries the whole walletMetadata JSON,
 * exactly as given; the per-field attributes are derived from it, always in camelCase whatever naming
 * the JSON uses.
 *
 * <pre>{@code
 * for (KeyStore.Entry.Attribute a : entry.getAttributes()) {
 *     if (a.getName().equals(WalletAttributes.ACCOUNT_ADDRESS)) { ... }
 * }
 * }</pre>
 */
public final class WalletAttributes {
    private static final String PREFIX = "dynamicshare.";
    /** The full walletMetadata (or WalletProperties) JSON: required when setting an entry. */
    public static final String WALLET_METADATA = PREFIX + "walletMetadata";
    public static final String ACCOUNT_ADDRESS = PREFIX + "accountAddress";
    public static final String WALLET_ID = PREFIX + "walletId";
    public static final String CHAIN_NAME = PREFIX + "chainName";
    public static final String THRESHOLD_SIGNATURE_SCHEME = PREFIX + "thresholdSignatureScheme";
    public static final String ADDRESS_TYPE = PREFIX + "addressType";
    public static final String DERIVATION_PATH = PREFIX + "derivationPath";
    /** "true" when the writer explicitly accepted identity-only metadata (no backup info). */
    public static final String ALLOW_IDENTITY_ONLY = PREFIX + "allowIdentityOnly";
    /** Read-only: the KEK version(s) that wrap the entry's data key, comma-separated. Ignored on input. */
    public static final String KEK_ID = PREFIX + "kekId";
    /**
     * Read-only: an opaque id of the write that stored the entry (24 hex digits), new with every setEntry. Give it
     * back to {@code DynamicShareKeyStore.replaceEntry} to update only the entry you read. Ignored on input.
     */
    public static final String ENTRY_VERSION = PREFIX + "entryVersion";

    /** The derived per-field attributes, in the order {@link WalletMetadata#wellKnownFields()} gives. */
    public static final List<String> DERIVED = Collections.unmodifiableList(Arrays.asList(ACCOUNT_ADDRESS, WALLET_ID,
            CHAIN_NAME, THRESHOLD_SIGNATURE_SCHEME, ADDRESS_TYPE, DERIVATION_PATH));

    private WalletAttributes() {
    }

    /** The attribute name of a well-known metadata field (camelCase field name). */
    public static String forField(String camelCaseField) {
        return PREFIX + camelCaseField;
    }

    /** All attributes a stored entry reports, without an entry version. See {@link #of(WalletMetadata, boolean, String, String)}. */
    public static Set<KeyStore.Entry.Attribute> of(WalletMetadata metadata, boolean identityOnlyAllowed, String kekIds) {
        return of(metadata, identityOnlyAllowed, kekIds, null);
    }

    /**
     * All attributes a stored entry reports. Never throws for a parsed document, whatever bytes it was parsed
     * from: reading stored metadata fails only in {@link WalletMetadata#parse(byte[])}, with a checked
     * {@link io.dynamicshare.metadata.MetadataException} that names the field (for a store to report, with the
     * alias, as a damaged entry).
     *
     * @param metadata     a parsed document; must not be null
     * @param entryVersion the entry's {@link #ENTRY_VERSION}, or null
     */
    public static Set<KeyStore.Entry.Attribute> of(WalletMetadata metadata, boolean identityOnlyAllowed, String kekIds,
                                                   String entryVersion) {
        Set<KeyStore.Entry.Attribute> attrs = new LinkedHashSet<>();
        attrs.add(new WalletAttribute(WALLET_METADATA, metadata.toJsonString()));
        for (Map.Entry<String, String> f : metadata.wellKnownFields().entrySet()) {
            attrs.add(new WalletAttribute(forField(f.getKey()), f.getValue()));
        }
        if (identityOnlyAllowed) {
            attrs.add(new WalletAttribute(ALLOW_IDENTITY_ONLY, "true"));
        }
        if (kekIds != null) {
            attrs.add(new WalletAttribute(KEK_ID, kekIds));
        }
        if (entryVersion != null) {
            attrs.add(new WalletAttribute(ENTRY_VERSION, entryVersion));
        }
        return Collections.unmodifiableSet(attrs);
    }

    /** The value of attribute {@code name} in {@code entry}, or null. */
    public static String get(KeyStore.Entry entry, String name) {
        for (KeyStore.Entry.Attribute a : entry.getAttributes()) {
            if (a.getName().equals(name)) {
                return a.getValue();
            }
        }
        return null;
    }
}
