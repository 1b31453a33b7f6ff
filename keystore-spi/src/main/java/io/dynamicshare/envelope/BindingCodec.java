package io.dynamicshare.envelope;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link EntryBinding} as CMS authenticated attributes. The content-type attribute (id-data) is included
 * as RFC 5083 recommends; every other attribute is this format's own, and any other attribute is refused.
 */
final class BindingCodec {
    private static final byte[] CONTENT_TYPE = Der.encoded(CMSAttributes.contentType);
    private static final byte[] DATA = Der.encoded(CMSObjectIdentifiers.data);
    private static final byte[] FORMAT_VERSION = Der.encoded(EnvelopeOids.FORMAT_VERSION);
    private static final byte[] STORE_ID = Der.encoded(EnvelopeOids.STORE_ID);
    private static final byte[] ALIAS = Der.encoded(EnvelopeOids.ALIAS);
    private static final byte[] WALLET_METADATA = Der.encoded(EnvelopeOids.WALLET_METADATA);
    private static final byte[] CREATION_TIME = Der.encoded(EnvelopeOids.CREATION_TIME);
    private static final byte[] ALLOW_IDENTITY_ONLY = Der.encoded(EnvelopeOids.ALLOW_IDENTITY_ONLY);
    private static final byte[] KEY_COMMITMENT = Der.encoded(EnvelopeOids.KEY_COMMITMENT);
    private static final byte[] KEY_EPOCH = Der.encoded(EnvelopeOids.KEY_EPOCH);
    private static final byte[] TRUE = Der.encoded(ASN1Boolean.TRUE);

    private BindingCodec() {
    }

    /**
     * The authenticated attributes as DER, with the SET OF tag: the GCM AAD (RFC 5083 section 2.2). Written
     * directly, not through BouncyCastle's object tree, because it is on every write's path; the OIDs are BC's
     * encodings, and BindingCodecTest checks the bytes against BouncyCastle's own DER.
     */
    static byte[] encode(EntryBinding b) {
        boolean committing = b.isKeyCommitting();
        byte[][] attrs = new byte[6 + (b.identityOnlyAllowed() ? 1 : 0) + (committing ? 2 : 0)][];
        attrs[0] = attr(CONTENT_TYPE, DATA);
        attrs[1] = attr(FORMAT_VERSION, Der.element(Der.INTEGER, BigInteger.valueOf(b.formatVersion()).toByteArray()));
        attrs[2] = attr(STORE_ID, Der.element(Der.OCTET_STRING, b.storeIdNoCopy()));
        attrs[3] = attr(ALIAS, Der.element(Der.UTF8_STRING, b.alias().getBytes(StandardCharsets.UTF_8)));
        attrs[4] = attr(WALLET_METADATA, Der.element(Der.OCTET_STRING, b.metadataNoCopy()));
        attrs[5] = attr(CREATION_TIME, Der.element(Der.INTEGER, BigInteger.valueOf(b.creationTime()).toByteArray()));
        int n = 6;
        if (b.identityOnlyAllowed()) {
            attrs[n++] = attr(ALLOW_IDENTITY_ONLY, TRUE);
        }
        if (committing) {
            attrs[n++] = attr(KEY_COMMITMENT, Der.element(Der.OCTET_STRING, b.keyCommitmentNoCopy()));
            attrs[n] = attr(KEY_EPOCH, Der.element(Der.INTEGER, BigInteger.valueOf(b.keyEpoch()).toByteArray()));
        }
        // DER orders a SET OF by the elements' encodings, compared as unsigned octet strings (X.690 11.6).
        for (int i = 1; i < attrs.length; i++) {
            for (int j = i; j > 0 && compare(attrs[j - 1], attrs[j]) > 0; j--) {
                byte[] t = attrs[j];
                attrs[j] = attrs[j - 1];
                attrs[j - 1] = t;
            }
        }
        return Der.element(Der.SET, attrs);
    }

    private static byte[] attr(byte[] oid, byte[] value) {
        return Der.element(Der.SEQUENCE, oid, Der.element(Der.SET, value));
    }

    private static int compare(byte[] a, byte[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int d = (a[i] & 0xff) - (b[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return a.length - b.length;
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
            if (version != 1 && version != EntryBinding.FORMAT_VERSION) {
                throw new EnvelopeException("entry format version " + version + " is not supported (this code reads "
                        + "1 and " + EntryBinding.FORMAT_VERSION + ")");
            }
            byte[] storeId = ASN1OctetString.getInstance(required(values, EnvelopeOids.STORE_ID)).getOctets();
            String alias = ASN1UTF8String.getInstance(required(values, EnvelopeOids.ALIAS)).getString();
            byte[] metadata = ASN1OctetString.getInstance(required(values, EnvelopeOids.WALLET_METADATA)).getOctets();
            long created = ASN1Integer.getInstance(required(values, EnvelopeOids.CREATION_TIME)).longValueExact();
            ASN1Encodable allow = values.remove(EnvelopeOids.ALLOW_IDENTITY_ONLY);
            boolean identityOnly = allow != null && ASN1Boolean.getInstance(allow).isTrue();
            byte[] commitment = null;
            long epoch = 0;
            if (version >= 2) {
                commitment = ASN1OctetString.getInstance(required(values, EnvelopeOids.KEY_COMMITMENT)).getOctets();
                if (commitment.length != KeyCommitment.LENGTH) {
                    throw new EnvelopeException("the key commitment must be " + KeyCommitment.LENGTH + " bytes");
                }
                epoch = ASN1Integer.getInstance(required(values, EnvelopeOids.KEY_EPOCH)).longValueExact();
                if (epoch < 0) {
                    throw new EnvelopeException("the key epoch is negative");
                }
            }
            if (!values.isEmpty()) {
                throw new EnvelopeException("unknown authenticated attribute " + values.keySet().iterator().next()
                        + " (entry format " + version + ")");
            }
            return new EntryBinding(alias, metadata, storeId, version, created, identityOnly, epoch, commitment);
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
}
