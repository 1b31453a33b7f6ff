package io.dynamicshare.storekey;

import io.dynamicshare.envelope.EnvelopeException;
import io.dynamicshare.envelope.KeyCommitment;
import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.WrappedKey;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An anchored key as a store holds it (docs/FORMAT.md, "Store key block"): the store key, or one branch key
 * version (the same structure; its {@code epoch} field is then the version). Its number, its commitment, the key
 * wrapped for one or more KEK versions, and the signatures that anchor it when a KEK is RSA. Not secret;
 * immutable.
 *
 * <pre>
 * StoreKeyBlock ::= SEQUENCE {
 *   epoch       INTEGER (0..MAX),
 *   commitment  OCTET STRING (SIZE (32)),
 *   recipients  SET OF RecipientInfo,          -- each wraps the 64-byte store key block
 *   signatures  SEQUENCE OF SEQUENCE { signer UTF8String, signature OCTET STRING } }
 * </pre>
 */
public final class StoreKeyBlock {
    private final long epoch;
    private final byte[] commitment;
    private final List<WrappedKey> recipients;
    private final List<KekSignature> signatures;

    StoreKeyBlock(long epoch, byte[] commitment, List<WrappedKey> recipients, List<KekSignature> signatures) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a store key block needs at least one recipient");
        }
        this.epoch = epoch;
        this.commitment = commitment.clone();
        this.recipients = Collections.unmodifiableList(new ArrayList<>(recipients));
        this.signatures = Collections.unmodifiableList(new ArrayList<>(signatures));
    }

    /** The store key's epoch, or a branch key's version. */
    public long epoch() {
        return epoch;
    }

    /** A copy of the 32-byte commitment to the key this block carries (not secret). */
    public byte[] commitment() {
        return commitment.clone();
    }

    /** The store key, wrapped once per KEK version. */
    public List<WrappedKey> recipients() {
        return recipients;
    }

    public List<KekSignature> signatures() {
        return signatures;
    }

    /** True when one of the recipients is {@code version}. */
    public boolean wrappedBy(KekId version) {
        for (WrappedKey w : recipients) {
            if (w.kekId().equals(version)) {
                return true;
            }
        }
        return false;
    }

    /** True when every recipient and every signature is by {@code version} alone. */
    public boolean madeBy(KekId version) {
        for (WrappedKey w : recipients) {
            if (!w.kekId().equals(version)) {
                return false;
            }
        }
        for (KekSignature sig : signatures) {
            if (!sig.signer().equals(version)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The statement an RSA KEK signs: {@code SEQUENCE { UTF8String purpose, OCTET STRING storeId, INTEGER epoch,
     * OCTET STRING commitment, UTF8String signer }} in DER, where {@code purpose} is the {@link KeyPurpose} label and
     * {@code epoch} the key's number (a branch key's version). Binding the signer's id means a signature cannot be
     * re-labelled as another version's.
     */
    static byte[] statement(KeyPurpose purpose, byte[] storeId, long epoch, byte[] commitment, KekId signer) {
        return der(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new DERUTF8String(purpose.label()),
                new DEROctetString(storeId), new ASN1Integer(epoch), new DEROctetString(commitment),
                new DERUTF8String(signer.value())}));
    }

    /** The DER encoding. */
    public byte[] encode() {
        ASN1EncodableVector sigs = new ASN1EncodableVector();
        for (KekSignature s : signatures) {
            sigs.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new DERUTF8String(s.signer().value()), new DEROctetString(s.value())}));
        }
        return der(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(epoch),
                new DEROctetString(commitment), RecipientInfoCodec.encodeAll(recipients), new DERSequence(sigs)}));
    }

    /**
     * Parses a DER store key block; structure only, nothing is trusted yet ({@link StoreKeyAnchor#open}).
     *
     * @throws EnvelopeException if it is not a well-formed block (or not DER)
     */
    public static StoreKeyBlock decode(byte[] der) throws EnvelopeException {
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            if (seq.size() != 4) {
                throw new EnvelopeException("the store key block has " + seq.size() + " fields, not 4");
            }
            BigInteger epoch = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            if (epoch.signum() < 0 || epoch.bitLength() > 63) {
                throw new EnvelopeException("the store key epoch is out of range");
            }
            byte[] commitment = ASN1OctetString.getInstance(seq.getObjectAt(1)).getOctets();
            if (commitment.length != KeyCommitment.LENGTH) {
                throw new EnvelopeException("the store key commitment must be " + KeyCommitment.LENGTH + " bytes");
            }
            List<WrappedKey> recipients = RecipientInfoCodec.decodeAll(ASN1Set.getInstance(seq.getObjectAt(2)));
            List<KekSignature> signatures = new ArrayList<>();
            for (org.bouncycastle.asn1.ASN1Encodable e : ASN1Sequence.getInstance(seq.getObjectAt(3))) {
                ASN1Sequence s = ASN1Sequence.getInstance(e);
                if (s.size() != 2) {
                    throw new EnvelopeException("a store key signature has " + s.size() + " fields, not 2");
                }
                signatures.add(new KekSignature(KekId.of(ASN1UTF8String.getInstance(s.getObjectAt(0)).getString()),
                        ASN1OctetString.getInstance(s.getObjectAt(1)).getOctets()));
            }
            StoreKeyBlock block = new StoreKeyBlock(epoch.longValue(), commitment, recipients, signatures);
            if (!Arrays.equals(block.encode(), der)) {
                throw new EnvelopeException("the store key block is not in DER");
            }
            return block;
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports a wrong type as ClassCastException, a bad value as IllegalArgumentException, ...:
            // whatever it throws on bytes it cannot read, the block is malformed.
            throw new EnvelopeException("malformed store key block: " + e, e);
        }
    }

    private static byte[] der(ASN1Sequence seq) {
        try {
            return seq.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding to memory failed", e);
        }
    }
}
