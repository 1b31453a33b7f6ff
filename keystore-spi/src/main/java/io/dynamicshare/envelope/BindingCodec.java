package io.dynamicshare.envelope;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link EntryBinding} as CMS authenticated attributes. The content-type attribute (id-data) is included
 * as RFC 5083 recommends; every other attribute is this format's own, and any other attribute is refused.
 */
final class BindingCodec {
    private BindingCodec() {
    }

    static ASN1Set encode(EntryBinding b) {
        ASN1EncodableVector v = new ASN1EncodableVector(7);
        v.add(attr(CMSAttributes.contentType, CMSObjectIdentifiers.data));
        v.add(attr(EnvelopeOids.FORMAT_VERSION, new ASN1Integer(b.formatVersion())));
        v.add(attr(EnvelopeOids.STORE_ID, new DEROctetString(b.storeIdNoCopy())));
        v.add(attr(EnvelopeOids.ALIAS, new DERUTF8String(b.alias())));
        v.add(attr(EnvelopeOids.WALLET_METADATA, new DEROctetString(b.metadataNoCopy())));
        v.add(attr(EnvelopeOids.CREATION_TIME, new ASN1Integer(b.creationTime())));
        if (b.identityOnlyAllowed()) {
            v.add(attr(EnvelopeOids.ALLOW_IDENTITY_ONLY, ASN1Boolean.TRUE));
        }
        return new DERSet(v);
    }

    static EntryBinding decode(ASN1Set attrs) throws EnvelopeException {
        if (attrs == null) {
            throw new EnvelopeException("no authenticated attributes: the entry is not bound to an alias or store");
        }
        Map<ASN1ObjectIdentifier, ASN1Encodable> values = new HashMap<>();
        for (int i = 0; i < attrs.size(); i++) {
            Attribute a = Attribute.getInstance(attrs.getObjectAt(i));
            if (a.getAttrValues().size() != 1) {
                throw new EnvelopeException("attribute " + a.getAttrType() + " must have exactly one value");
            }
            if (values.put(a.getAttrType(), a.getAttrValues().getObjectAt(0)) != null) {
                throw new EnvelopeException("attribute " + a.getAttrType() + " appears twice");
            }
        }
        try {
            if (!CMSObjectIdentifiers.data.equals(required(values, CMSAttributes.contentType))) {
                throw new EnvelopeException("content type is not id-data");
            }
            int version = ASN1Integer.getInstance(required(values, EnvelopeOids.FORMAT_VERSION)).intValueExact();
            if (version != EntryBinding.FORMAT_VERSION) {
                throw new EnvelopeException("entry format version " + version + " is not supported (this code reads "
                        + EntryBinding.FORMAT_VERSION + ")");
            }
            byte[] storeId = ASN1OctetString.getInstance(required(values, EnvelopeOids.STORE_ID)).getOctets();
            String alias = ASN1UTF8String.getInstance(required(values, EnvelopeOids.ALIAS)).getString();
            byte[] metadata = ASN1OctetString.getInstance(required(values, EnvelopeOids.WALLET_METADATA)).getOctets();
            long created = ASN1Integer.getInstance(required(values, EnvelopeOids.CREATION_TIME)).longValueExact();
            ASN1Encodable allow = values.remove(EnvelopeOids.ALLOW_IDENTITY_ONLY);
            boolean identityOnly = allow != null && ASN1Boolean.getInstance(allow).isTrue();
            if (!values.isEmpty()) {
                throw new EnvelopeException("unknown authenticated attribute " + values.keySet().iterator().next());
            }
            return new EntryBinding(alias, metadata, storeId, version, created, identityOnly);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new EnvelopeException("malformed authenticated attribute: " + e.getMessage(), e);
        }
    }

    private static ASN1Encodable required(Map<ASN1ObjectIdentifier, ASN1Encodable> values, ASN1ObjectIdentifier oid)
            throws EnvelopeException {
        ASN1Encodable v = values.remove(oid);
        if (v == null) {
            throw new EnvelopeException("authenticated attribute " + oid + " is missing");
        }
        return v;
    }

    private static Attribute attr(ASN1ObjectIdentifier oid, ASN1Encodable value) {
        return new Attribute(oid, new DERSet(value));
    }
}
