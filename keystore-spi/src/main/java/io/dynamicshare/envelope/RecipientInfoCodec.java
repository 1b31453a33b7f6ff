package io.dynamicshare.envelope;

import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.KEKIdentifier;
import org.bouncycastle.asn1.cms.KEKRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The serde between a {@link WrappedKey} and a CMS RecipientInfo (RFC 5652 section 6.2): RSA-OAEP-256
 * becomes a KeyTransRecipientInfo identified by subject key identifier, A256KW a KEKRecipientInfo; in both
 * the identifier is the UTF-8 {@link KekId}, so a reader knows which key and version to ask for.
 *
 * <p>In an entry, a RecipientInfo whose identifier is not a KEK id (an escrow key's
 * {@code issuerAndSerialNumber} or binary subject key identifier, or another RecipientInfo type) is kept as an
 * {@link OtherRecipient} and never used ({@link #decodeEntry}); a KEKRecipientInfo with the branch key identifier is
 * the entry's {@link BranchRecipient}; a store key block accepts KEK recipients only ({@link #decodeAll}).
 *
 * <pre>{@code
 * Recipients r = RecipientInfoCodec.decodeEntry(recipientInfos);   // EnvelopeException without a KEK recipient
 * ASN1Set again = RecipientInfoCodec.encodeAll(r);
 * }</pre>
 */
public final class RecipientInfoCodec {
    private static final AlgorithmIdentifier SHA256 =
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
    /** RFC 4055 RSAES-OAEP with SHA-256, MGF1-SHA-256 and the empty label. */
    private static final AlgorithmIdentifier RSA_OAEP_SHA256 = new AlgorithmIdentifier(
            PKCSObjectIdentifiers.id_RSAES_OAEP,
            new RSAESOAEPparams(SHA256, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, SHA256),
                    RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
    private static final AlgorithmIdentifier AES256_WRAP = new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_wrap);

    private RecipientInfoCodec() {
    }

    public static RecipientInfo encode(WrappedKey key) {
        DEROctetString encryptedKey = new DEROctetString(key.bytes());
        if (key.algorithm() == WrapAlgorithm.RSA_OAEP_256) {
            return new RecipientInfo(new KeyTransRecipientInfo(
                    new RecipientIdentifier(new DEROctetString(key.kekId().toBytes())), RSA_OAEP_SHA256, encryptedKey));
        }
        return new RecipientInfo(new KEKRecipientInfo(
                new KEKIdentifier(key.kekId().toBytes(), null, null), AES256_WRAP, encryptedKey));
    }

    /**
     * An RSAES-OAEP (SHA-256, MGF1-SHA-256, empty label; RFC 4055) key transport recipient for {@code rid}, with
     * exactly the algorithm identifier KEK recipients carry: what an escrow recipient is. Version 0 for an
     * {@code issuerAndSerialNumber}, 2 for a subject key identifier (RFC 5652 section 6.2.1).
     */
    public static RecipientInfo rsaOaepRecipient(RecipientIdentifier rid, byte[] encryptedKey) {
        return new RecipientInfo(new KeyTransRecipientInfo(rid, RSA_OAEP_SHA256, new DEROctetString(encryptedKey)));
    }

    /** True when the key transport recipient uses RSAES-OAEP with SHA-256 and MGF1-SHA-256, as this format writes. */
    public static boolean isRsaOaep256(KeyTransRecipientInfo ktri) {
        return RSA_OAEP_SHA256.equals(ktri.getKeyEncryptionAlgorithm());
    }

    /**
     * True when {@code id}, a subject key identifier, names a KEK: well-formed UTF-8 (malformed sequences are not
     * replaced) that {@link KekId#of} accepts. Anything else (a binary key identifier) is another recipient's.
     */
    public static boolean isKekId(byte[] id) {
        try {
            KekId.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(id)).toString());
            return true;
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Every recipient of an entry, KEK recipients, the branch recipient and others, as one DER SET (elements sorted
     * by encoding).
     */
    public static ASN1Set encodeAll(Recipients recipients) {
        ASN1EncodableVector v = new ASN1EncodableVector(recipients.keks().size() + recipients.others().size() + 1);
        for (WrappedKey k : recipients.keks()) {
            v.add(encode(k));
        }
        if (recipients.branch() != null) {
            v.add(recipients.branch().toRecipientInfo());
        }
        for (OtherRecipient o : recipients.others()) {
            v.add(o.info());
        }
        return new DERSet(v);
    }

    public static ASN1Set encodeAll(List<WrappedKey> keys) {
        ASN1EncodableVector v = new ASN1EncodableVector(keys.size());
        for (WrappedKey k : keys) {
            v.add(encode(k));
        }
        return new DERSet(v);
    }

    public static WrappedKey decode(RecipientInfo info) throws EnvelopeException {
        ASN1Encodable inner = info.getInfo();
        try {
            if (inner instanceof KeyTransRecipientInfo) {
                KeyTransRecipientInfo ktri = (KeyTransRecipientInfo) inner;
                RecipientIdentifier rid = ktri.getRecipientIdentifier();
                if (!rid.isTagged()) {
                    throw new EnvelopeException("key transport recipient is identified by issuer and serial number; "
                            + "this format identifies a KEK by subject key identifier (an escrow recipient is allowed "
                            + "in entries only)");
                }
                if (!RSA_OAEP_SHA256.equals(ktri.getKeyEncryptionAlgorithm())) {
                    throw new EnvelopeException("key transport algorithm is not RSAES-OAEP with SHA-256/MGF1-SHA-256");
                }
                byte[] id = ASN1OctetString.getInstance(rid.getId()).getOctets();
                return new WrappedKey(KekId.fromBytes(id), WrapAlgorithm.RSA_OAEP_256, ktri.getEncryptedKey().getOctets());
            }
            if (inner instanceof KEKRecipientInfo) {
                KEKRecipientInfo kekri = (KEKRecipientInfo) inner;
                if (!AES256_WRAP.getAlgorithm().equals(kekri.getKeyEncryptionAlgorithm().getAlgorithm())) {
                    throw new EnvelopeException("KEK recipient algorithm is not id-aes256-wrap");
                }
                byte[] id = kekri.getKekid().getKeyIdentifier().getOctets();
                return new WrappedKey(KekId.fromBytes(id), WrapAlgorithm.AES_KW_256, kekri.getEncryptedKey().getOctets());
            }
        } catch (RuntimeException e) {
            throw new EnvelopeException("malformed recipient info: " + e, e);
        }
        throw new EnvelopeException("unsupported recipient info type (only key transport and KEK recipients)");
    }

    /**
     * An entry's recipients: KEK recipients are decoded as strictly as by {@link #decode}; a RecipientInfo whose
     * identifier is not a KEK id (key transport by {@code issuerAndSerialNumber} or by a subject key identifier that
     * {@link #isKekId} refuses, key agreement, password or other types) is kept as an {@link OtherRecipient}.
     *
     * @throws EnvelopeException if a KEK or branch recipient is malformed, there are two branch recipients, or neither
     *                           a KEK nor a branch recipient is present: the store could not open the entry (an
     *                           entry with only an escrow recipient is refused)
     */
    public static Recipients decodeEntry(ASN1Set set) throws EnvelopeException {
        if (set == null || set.size() == 0) {
            throw new EnvelopeException("no recipient infos: nothing can unwrap the data key");
        }
        List<WrappedKey> keks = new ArrayList<>(set.size());
        BranchRecipient branch = null;
        List<OtherRecipient> others = new ArrayList<>(0);
        for (int i = 0; i < set.size(); i++) {
            RecipientInfo info;
            try {
                info = RecipientInfo.getInstance(set.getObjectAt(i));
            } catch (RuntimeException e) {
                throw new EnvelopeException("malformed recipient info: " + e, e);
            }
            if (BranchRecipient.isBranchRecipient(info)) {
                if (branch != null) {
                    throw new EnvelopeException("an entry has at most one branch recipient");
                }
                branch = BranchRecipient.fromRecipientInfo(info);
            } else if (isKekRecipient(info)) {
                keks.add(decode(info));
            } else {
                others.add(OtherRecipient.of(info));
            }
        }
        if (keks.isEmpty() && branch == null) {
            throw new EnvelopeException("the entry has no KEK recipient (nor a branch recipient), only " + others.size()
                    + " other recipient(s) (such as an escrow key's), so this store cannot open it; an entry written "
                    + "by this store always carries its KEK or branch recipient");
        }
        return Recipients.of(keks, branch, others);
    }

    /** A KEK recipient of this format; a branch recipient (also a KEKRecipientInfo) is checked for before. */
    private static boolean isKekRecipient(RecipientInfo info) {
        try {
            ASN1Encodable inner = info.getInfo();
            if (inner instanceof KEKRecipientInfo) {
                return !BranchRecipient.isBranchRecipient(info);
            }
            if (inner instanceof KeyTransRecipientInfo) {
                RecipientIdentifier rid = ((KeyTransRecipientInfo) inner).getRecipientIdentifier();
                return rid.isTagged() && isKekId(ASN1OctetString.getInstance(rid.getId()).getOctets());
            }
            return false;
        } catch (RuntimeException e) {
            return false; // malformed: not a KEK recipient, and never used
        }
    }

    public static List<WrappedKey> decodeAll(ASN1Set set) throws EnvelopeException {
        if (set == null || set.size() == 0) {
            throw new EnvelopeException("no recipient infos: nothing can unwrap the data key");
        }
        List<WrappedKey> out = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) {
            RecipientInfo info;
            try {
                info = RecipientInfo.getInstance(set.getObjectAt(i));
            } catch (RuntimeException e) {
                throw new EnvelopeException("malformed recipient info: " + e, e);
            }
            out.add(decode(info));
        }
        return Collections.unmodifiableList(out);
    }
}
