package io.dynamicshare.store;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.metadata.MetadataException;
import io.dynamicshare.metadata.WalletMetadata;

import java.security.KeyStore;
import java.util.Date;
import java.util.Set;

/**
 * One alias's entry as a {@link StoreBackend} returns it, authenticated: the sealed entry, parsed once, and its attributes, derived on first use
 * from the authenticated metadata. Immutable apart from that cache.
 */
public final class EntryRecord {
    public final String alias;
    public final SealedEntry sealed;
    /** Position in the store file: a replaced alias keeps its place. */
    public final long order;
    /** The recipients' KEK ids, comma-separated: audited on every read, so built once. */
    private final String kekIds;
    private volatile Set<KeyStore.Entry.Attribute> attributes;

    public EntryRecord(String alias, SealedEntry sealed, long order) {
        this.alias = alias;
        this.sealed = sealed;
        this.order = order;
        this.kekIds = joinKekIds(sealed);
    }

    /**
     * Parses an entry whose bytes were already authenticated (entry tag) and checks that it is bound to
     * {@code alias} and to the store {@code storeId}: the same check for a file entry and a database row.
     *
     * @throws StoreIntegrityException naming the alias when the DER does not parse or is bound elsewhere
     */
    public static EntryRecord parse(String alias, byte[] der, byte[] storeId, long order)
            throws StoreIntegrityException {
        io.dynamicshare.envelope.SealedEntry sealed;
        try {
            sealed = io.dynamicshare.envelope.CmsEnvelope.parse(der);
        } catch (io.dynamicshare.envelope.EnvelopeException e) {
            throw new StoreIntegrityException(Messages.alias(alias) + e.getMessage(), e);
        }
        if (!sealed.binding().alias().equals(alias)) {
            throw new StoreIntegrityException(Messages.alias(alias) + "the entry is bound to another alias");
        }
        if (!sealed.binding().belongsTo(storeId)) {
            throw new StoreIntegrityException(Messages.alias(alias) + "the entry is bound to another store");
        }
        return new EntryRecord(alias, sealed, order);
    }

    /** True when {@code rekey} has yet to re-seal the entry: no key commitment, or a key epoch before {@code epoch}. */
    public boolean behind(long epoch) {
        return !sealed.binding().isKeyCommitting() || sealed.binding().keyEpoch() < epoch;
    }

    public Date creationDate() {
        return new Date(sealed.binding().creationTime());
    }

    /**
     * The entry's attributes, answered from metadata without unwrapping any key.
     *
     * @throws StoreIntegrityException naming the alias and the metadata field when the stored metadata does not
     *     parse (format 2 validates before sealing, so only a faulty writer holding the store key gets here; format
     *     1 is checked at load); other entries are unaffected
     */
    public Set<KeyStore.Entry.Attribute> attributes() throws StoreIntegrityException {
        Set<KeyStore.Entry.Attribute> a = attributes;
        if (a == null) {
            WalletMetadata m;
            try {
                m = WalletMetadata.parse(sealed.binding().metadataJson());
            } catch (MetadataException e) {
                // No cause: a MetadataException in the chain reads as bad caller input (CLI exit 2).
                throw new StoreIntegrityException(Messages.alias(alias) + "the stored walletMetadata cannot be read: "
                        + e.getMessage());
            }
            a = WalletAttributes.of(m, sealed.binding().identityOnlyAllowed(), kekIds(), sealed.version());
            attributes = a;
        }
        return a;
    }

    public String kekIds() {
        return kekIds;
    }

    private static String joinKekIds(SealedEntry sealed) {
        if (sealed.recipients().size() == 1) {
            return sealed.recipients().get(0).kekId().toString();
        }
        StringBuilder b = new StringBuilder();
        for (WrappedKey w : sealed.recipients()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(w.kekId());
        }
        return b.toString();
    }
}
