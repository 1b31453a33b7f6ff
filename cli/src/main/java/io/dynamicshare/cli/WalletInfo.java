package io.dynamicshare.cli;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.store.DynamicShareKeyStore;

import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the store tells about one wallet without revealing its shares: the walletMetadata attributes,
 * the KEK version and the creation date.
 */
final class WalletInfo {

    final String alias;
    /** Attribute name (without the {@code dynamicshare.} prefix) to value. */
    final Map<String, String> fields;
    final String walletMetadataJson;
    final boolean identityOnlyAllowed;
    final String kekId;
    final Date created;

    private WalletInfo(String alias, Set<KeyStore.Entry.Attribute> attributes, Date created) {
        this.alias = alias;
        Map<String, String> f = new LinkedHashMap<>();
        String metadata = null;
        String kek = null;
        boolean identityOnly = false;
        for (String name : WalletAttributes.DERIVED) {
            String v = value(attributes, name);
            if (v != null) {
                f.put(name.substring(name.indexOf('.') + 1), v);
            }
        }
        for (KeyStore.Entry.Attribute a : attributes) {
            if (a.getName().equals(WalletAttributes.WALLET_METADATA)) {
                metadata = a.getValue();
            } else if (a.getName().equals(WalletAttributes.KEK_ID)) {
                kek = a.getValue();
            } else if (a.getName().equals(WalletAttributes.ALLOW_IDENTITY_ONLY)) {
                identityOnly = Boolean.parseBoolean(a.getValue());
            }
        }
        this.fields = Collections.unmodifiableMap(f);
        this.walletMetadataJson = metadata;
        this.kekId = kek;
        this.identityOnlyAllowed = identityOnly;
        this.created = created;
    }

    /** Reads one wallet's metadata; the caller has checked that the alias exists. */
    static WalletInfo read(KeyStore ks, String alias) throws GeneralSecurityException {
        return new WalletInfo(alias, attributes(ks, alias), ks.getCreationDate(alias));
    }

    String field(String camelCaseName) {
        return fields.get(camelCaseName);
    }

    /**
     * The entry's attributes, from metadata alone: nothing is decrypted. A plain KeyStore (not this
     * provider's) only has getEntry, whose shares are destroyed at once, unread.
     */
    private static Set<KeyStore.Entry.Attribute> attributes(KeyStore ks, String alias) throws GeneralSecurityException {
        if (ks instanceof DynamicShareKeyStore) {
            return ((DynamicShareKeyStore) ks).attributes(alias);
        }
        KeyStore.Entry entry = ks.getEntry(alias, null);
        if (entry == null) {
            return Collections.emptySet();
        }
        Shares.destroy(entry);
        return entry.getAttributes();
    }

    private static String value(Set<KeyStore.Entry.Attribute> attributes, String name) {
        for (KeyStore.Entry.Attribute a : attributes) {
            if (a.getName().equals(name)) {
                return a.getValue();
            }
        }
        return null;
    }

    /** Writes this wallet as a JSON object; {@code withMetadata} adds the whole walletMetadata document. */
    JsonWriter writeJson(JsonWriter w, boolean withMetadata) {
        w.beginObject().field("alias", alias);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            w.field(f.getKey(), f.getValue());
        }
        w.field("kekId", kekId).field("created", Text.instant(created)).field("identityOnlyAllowed", identityOnlyAllowed);
        if (withMetadata) {
            w.name("walletMetadata").raw(walletMetadataJson);
        }
        return w;
    }

    /** Writes this wallet for a person: one field a line, then the walletMetadata document. */
    void printText(PrintStream out) {
        Text.row(out, "alias", alias);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            Text.row(out, f.getKey(), f.getValue());
        }
        Text.row(out, "kekId", kekId);
        Text.row(out, "created", Text.instant(created));
        Text.row(out, "identityOnlyAllowed", String.valueOf(identityOnlyAllowed));
        out.println("walletMetadata:");
        out.println(walletMetadataJson == null ? "(none)" : walletMetadataJson.trim());
    }
}
