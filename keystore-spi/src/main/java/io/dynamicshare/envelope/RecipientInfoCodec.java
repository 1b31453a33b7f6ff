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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The serde between a {@link WrappedKey} and a CMS RecipientInfo (RFC 5652 section 6.2): RSA-OAEP-256
 * becomes a KeyTransRecipientInfo identified by subject key identifier, A256KW a KEKRecipientInfo; in both
 * the identifier is the UTF-8 {@link KekId}, so a reader knows which key and version to ask for.
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
                            + "this format identifies the KEK by subject key identifier");
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
