package io.dynamicshare.envelope;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.KEKIdentifier;
import org.bouncycastle.asn1.cms.KEKRecipientInfo;
import org.bouncycastle.asn1.cms.OtherKeyAttribute;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An entry's data key wrapped locally under a key derived from one version of its store's branch key
 * (hierarchical mode, docs/FORMAT.md "Branch recipient"): a CMS {@code KEKRecipientInfo} (RFC 5652 section 6.2.3),
 * version 4, with AES-256 key wrap (RFC 3394, {@code id-aes256-wrap}) and
 * <pre>
 * kekid KEKIdentifier {
 *   keyIdentifier  OCTET STRING "DynamicShareKeyStore/3 branch key",   -- has spaces: never a KEK id
 *   other          OtherKeyAttribute { ARC.101, SEQUENCE { version INTEGER (1..MAX), salt OCTET STRING (SIZE (16)) } } }
 * </pre>
 * A KEK id can hold no space ({@link io.dynamicshare.kek.KekId}), so no {@code kek}/{@code kek.allow} item can
 * ever match this identifier and the KEK policy never sends it to a key service. Not secret; immutable.
 *
 * <pre>{@code
 * BranchRecipient r = new BranchRecipient(3, salt, wrapped40);
 * RecipientInfo ri = r.toRecipientInfo();
 * BranchRecipient back = BranchRecipient.fromRecipientInfo(ri);   // null for any other recipient
 * }</pre>
 */
public final class BranchRecipient {
    /** Salt length in bytes: fresh random per entry write. */
    public static final int SALT_LENGTH = 16;
    /** An RFC 3394 wrap of a 32-byte data key: 40 bytes. */
    public static final int WRAPPED_LENGTH = 40;
    /** The keyIdentifier every branch recipient carries. */
    static final byte[] KEY_IDENTIFIER = "DynamicShareKeyStore/3 branch key".getBytes(StandardCharsets.US_ASCII);
    private static final AlgorithmIdentifier AES256_WRAP = new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_wrap);

    private final long version;
    private final byte[] salt;
    private final byte[] encryptedKey;

    /**
     * @param version      the branch key version, at least 1
     * @param salt         16 bytes
     * @param encryptedKey the 40-byte AES key wrap of the data key
     * @throws IllegalArgumentException for any other value
     */
    public BranchRecipient(long version, byte[] salt, byte[] encryptedKey) {
        if (version < 1) {
            throw new IllegalArgumentException("a branch key version is at least 1, got " + version);
        }
        if (salt == null || salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("a branch recipient's salt is " + SALT_LENGTH + " bytes");
        }
        if (encryptedKey == null || encryptedKey.length != WRAPPED_LENGTH) {
            throw new IllegalArgumentException("a branch recipient wraps a data key in " + WRAPPED_LENGTH + " bytes");
        }
        this.version = version;
        this.salt = salt.clone();
        this.encryptedKey = encryptedKey.clone();
    }

    /** The branch key version whose derived key wrapped the data key. */
    public long version() {
        return version;
    }

    /** A copy of the 16-byte salt. */
    public byte[] salt() {
        return salt.clone();
    }

    /** A copy of the 40-byte wrapped data key. */
    public byte[] encryptedKey() {
        return encryptedKey.clone();
    }

    /** How attributes, audit events and the inventory name the wrap: {@code "branch key v<version>"}. */
    public String label() {
        return label(version);
    }

    /** {@code "branch key v<version>"}. */
    public static String label(long version) {
        return "branch key v" + version;
    }

    /** The DER-ready RecipientInfo. */
    public RecipientInfo toRecipientInfo() {
        ASN1Encodable ref = new DERSequence(new ASN1Encodable[] {new ASN1Integer(version), new DEROctetString(salt)});
        KEKIdentifier id = new KEKIdentifier(KEY_IDENTIFIER, null,
                new OtherKeyAttribute(EnvelopeOids.BRANCH_KEY_REFERENCE, ref));
        return new RecipientInfo(new KEKRecipientInfo(id, AES256_WRAP, new DEROctetString(encryptedKey)));
    }

    /** True when {@code info} is a KEKRecipientInfo with the branch key identifier (well-formed or not). */
    static boolean isBranchRecipient(RecipientInfo info) {
        try {
            ASN1Encodable inner = info.getInfo();
            return inner instanceof KEKRecipientInfo && Arrays.equals(KEY_IDENTIFIER,
                    ((KEKRecipientInfo) inner).getKekid().getKeyIdentifier().getOctets());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Decodes a branch recipient, strictly: exactly the encoding {@link #toRecipientInfo} writes.
     *
     * @throws EnvelopeException if {@code info} carries the branch key identifier but is not such a recipient
     */
    static BranchRecipient fromRecipientInfo(RecipientInfo info) throws EnvelopeException {
        try {
            KEKRecipientInfo kekri = (KEKRecipientInfo) info.getInfo();
            KEKIdentifier id = kekri.getKekid();
            if (!AES256_WRAP.equals(kekri.getKeyEncryptionAlgorithm()) || id.getDate() != null
                    || id.getOther() == null || !EnvelopeOids.BRANCH_KEY_REFERENCE.equals(id.getOther().getKeyAttrId())) {
                throw new EnvelopeException("a branch recipient must use id-aes256-wrap and name its branch key "
                        + "version and salt");
            }
            ASN1Sequence ref = ASN1Sequence.getInstance(id.getOther().getKeyAttr());
            if (ref.size() != 2) {
                throw new EnvelopeException("a branch key reference has " + ref.size() + " fields, not 2");
            }
            BigInteger v = ASN1Integer.getInstance(ref.getObjectAt(0)).getValue();
            if (v.signum() <= 0 || v.bitLength() > 63) {
                throw new EnvelopeException("a branch key version is out of range");
            }
            return new BranchRecipient(v.longValue(), ASN1OctetString.getInstance(ref.getObjectAt(1)).getOctets(),
                    kekri.getEncryptedKey().getOctets());
        } catch (RuntimeException e) {
            throw new EnvelopeException("malformed branch recipient: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "BranchRecipient{" + label() + "}";
    }
}
