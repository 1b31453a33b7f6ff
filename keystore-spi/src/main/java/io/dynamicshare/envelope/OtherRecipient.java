package io.dynamicshare.envelope;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;

import java.io.IOException;
import java.util.Arrays;

/**
 * One RecipientInfo of an entry (RFC 5652 section 6.2) that is not a KEK recipient of this format: an escrow
 * key's {@code KeyTransRecipientInfo} (identified by issuer and serial number, or by a subject key identifier that
 * is not a KEK id), or any other type. The store never unwraps with one and never contacts a key service for one
 * (docs/FORMAT.md, "Other recipients"); it keeps its exact DER so that a rewrite does not change it. Not secret.
 *
 * <pre>{@code
 * OtherRecipient r = sealed.otherRecipients().get(0);
 * KeyTransRecipientInfo ktri = r.keyTransport();     // null unless it is a key transport recipient
 * }</pre>
 */
public final class OtherRecipient {
    private final byte[] der;
    private final RecipientInfo info;

    private OtherRecipient(byte[] der, RecipientInfo info) {
        this.der = der;
        this.info = info;
    }

    /** Wraps a parsed RecipientInfo; its DER encoding is what an entry then carries. */
    public static OtherRecipient of(RecipientInfo info) {
        try {
            return new OtherRecipient(info.getEncoded(ASN1Encoding.DER), info);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding to memory failed", e);
        }
    }

    /**
     * @throws EnvelopeException if {@code der} is not a RecipientInfo
     */
    static OtherRecipient fromDer(byte[] der) throws EnvelopeException {
        try {
            return new OtherRecipient(der.clone(), RecipientInfo.getInstance(ASN1Primitive.fromByteArray(der)));
        } catch (IOException | RuntimeException e) {
            throw new EnvelopeException("malformed recipient info: " + e.getMessage(), e);
        }
    }

    /** The RecipientInfo, as BouncyCastle parses it. */
    public RecipientInfo info() {
        return info;
    }

    /** The key transport recipient, or null when this is another type of RecipientInfo. */
    public KeyTransRecipientInfo keyTransport() {
        return info.getInfo() instanceof KeyTransRecipientInfo ? (KeyTransRecipientInfo) info.getInfo() : null;
    }

    /** A copy of the DER encoding. */
    public byte[] der() {
        return der.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OtherRecipient && Arrays.equals(der, ((OtherRecipient) o).der);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(der);
    }

    @Override
    public String toString() {
        return "OtherRecipient{" + (keyTransport() != null ? "key transport" : "type " + info.getInfo().getClass()
                .getSimpleName()) + ", " + der.length + " bytes}";
    }
}
