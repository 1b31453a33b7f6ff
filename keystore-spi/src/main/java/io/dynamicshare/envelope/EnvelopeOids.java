package io.dynamicshare.envelope;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * Object identifiers of the authenticated attributes this format defines. The arc is a UUID OID
 * (ITU-T X.667, {@code 2.25.<uuid>}), which needs no registration and collides with nothing.
 */
public final class EnvelopeOids {
    /** 2.25 + UUID 2b38cdce-22eb-4826-aced-ea62c5f14bb6. */
    public static final ASN1ObjectIdentifier ARC =
            new ASN1ObjectIdentifier("2.25.57451746668606488038310949905128049590");
    /** INTEGER: the entry format version. */
    public static final ASN1ObjectIdentifier FORMAT_VERSION = ARC.branch("1");
    /** OCTET STRING (16): the identity of the store the entry belongs to. */
    public static final ASN1ObjectIdentifier STORE_ID = ARC.branch("2");
    /** UTF8String: the alias. */
    public static final ASN1ObjectIdentifier ALIAS = ARC.branch("3");
    /** OCTET STRING: walletMetadata, the exact JSON bytes. */
    public static final ASN1ObjectIdentifier WALLET_METADATA = ARC.branch("4");
    /** INTEGER: creation time, milliseconds since the epoch. */
    public static final ASN1ObjectIdentifier CREATION_TIME = ARC.branch("5");
    /** BOOLEAN: the writer explicitly allowed identity-only metadata. */
    public static final ASN1ObjectIdentifier ALLOW_IDENTITY_ONLY = ARC.branch("6");
    /** OCTET STRING (32): the key commitment of the data key ({@link KeyCommitment#DATA_KEY}); format 2. */
    public static final ASN1ObjectIdentifier KEY_COMMITMENT = ARC.branch("7");
    /** INTEGER: the store key epoch the entry was sealed under (what {@code rekey} counts down); format 2. */
    public static final ASN1ObjectIdentifier KEY_EPOCH = ARC.branch("8");
    /**
     * Not an attribute: the {@code keyAttrId} of a branch recipient's {@code KEKIdentifier.other}, whose value is
     * {@code SEQUENCE { version INTEGER, salt OCTET STRING (16) }} ({@link BranchRecipient}).
     */
    public static final ASN1ObjectIdentifier BRANCH_KEY_REFERENCE = ARC.branch("101");
    /** The store container's own arc: header structures. */
    public static final ASN1ObjectIdentifier STORE_ARC = ARC.branch("100");

    private EnvelopeOids() {
    }
}
