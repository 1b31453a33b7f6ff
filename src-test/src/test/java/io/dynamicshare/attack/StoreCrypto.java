package io.dynamicshare.attack;

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
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.RecipientInfo;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The attacker's own implementation of the format-2 store key cryptography, written from the product's behaviour
 * (StoreKey, StoreKeyBlock, StoreKeyAnchor), sharing no code with it: the store key block DER, the purpose tag,
 * commitments, the HKDF-derived entry tag and file MAC keys, and the PS256 statement.
 */
final class StoreCrypto {
    static final String STORE_KEY_PURPOSE = "DynamicShareKeyStore/2 store key";
    static final byte[] STORE_KEY_COMMITMENT_LABEL = ascii("DynamicShareKeyStore/2 store key commitment");
    static final byte[] DATA_KEY_COMMITMENT_LABEL = ascii("DynamicShareKeyStore/2 data key commitment");
    private static final byte[] ENTRY_TAG_INFO = ascii("DynamicShareKeyStore/2 entry tag");
    private static final byte[] FILE_MAC_INFO = ascii("DynamicShareKeyStore/2 file MAC");

    private StoreCrypto() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** HKDF-SHA256 (RFC 5869), 32 bytes of output. */
    static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
        byte[] prk = hmac(salt, ikm);
        return hmac(prk, info, new byte[] {1});
    }

    /** {@code SHA-256(purpose || storeId || epoch)}: the second half of a wrapped store key block. */
    static byte[] purposeTag(byte[] storeId, long epoch) {
        return sha256(ascii(STORE_KEY_PURPOSE), storeId, u64(epoch));
    }

    /** The 64 bytes a KEK wraps for a store key. */
    static byte[] storeKeyPlaintext(byte[] storeKey, byte[] storeId, long epoch) {
        return concat(storeKey, purposeTag(storeId, epoch));
    }

    static byte[] commitment(byte[] key, byte[] label) {
        return hmac(key, label);
    }

    static byte[] entryTagKey(byte[] storeKey, byte[] storeId, long epoch) {
        return hkdf(storeKey, storeId, concat(ENTRY_TAG_INFO, u64(epoch)));
    }

    static byte[] fileMacKey(byte[] storeKey, byte[] storeId, long epoch) {
        return hkdf(storeKey, storeId, concat(FILE_MAC_INFO, u64(epoch)));
    }

    /** HMAC over {@code u16 len || alias || u32 len || entry DER} under the entry tag key. */
    static byte[] entryTag(byte[] entryTagKey, String alias, byte[] entryDer) {
        byte[] a = alias.getBytes(StandardCharsets.UTF_8);
        return hmac(entryTagKey, u16(a.length), a, u32(entryDer.length), entryDer);
    }

    /** The statement an RSA KEK signs to anchor a store key. */
    static byte[] statement(byte[] storeId, long epoch, byte[] commitment, String signer) {
        return der(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new DERUTF8String(STORE_KEY_PURPOSE),
                new DEROctetString(storeId), new ASN1Integer(epoch), new DEROctetString(commitment),
                new DERUTF8String(signer)}));
    }

    /** RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt (Key Vault's PS256), with a key the signer holds. */
    static byte[] ps256(PrivateKey key, byte[] message) throws GeneralSecurityException {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        s.initSign(key);
        s.update(message);
        return s.sign();
    }

    /** A signature in a store key block: who signed, and the bytes. */
    record Sig(String signer, byte[] value) {
    }

    /** A store key block, decoded: nothing in it is secret. */
    record Block(long epoch, byte[] commitment, List<RecipientInfo> recipients, List<Sig> signatures) {
        byte[] encode() {
            ASN1EncodableVector r = new ASN1EncodableVector();
            recipients.forEach(r::add);
            ASN1EncodableVector s = new ASN1EncodableVector();
            for (Sig sig : signatures) {
                s.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new DERUTF8String(sig.signer),
                        new DEROctetString(sig.value)}));
            }
            return der(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1Integer(epoch),
                    new DEROctetString(commitment), new DERSet(r), new DERSequence(s)}));
        }

        Block withRecipients(List<RecipientInfo> r) {
            return new Block(epoch, commitment, r, signatures);
        }

        Block withSignatures(List<Sig> s) {
            return new Block(epoch, commitment, recipients, s);
        }

        Block withCommitment(byte[] c) {
            return new Block(epoch, c, recipients, signatures);
        }

        static Block decode(byte[] der) {
            try {
                ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
                List<RecipientInfo> recipients = new ArrayList<>();
                for (org.bouncycastle.asn1.ASN1Encodable e : ASN1Set.getInstance(seq.getObjectAt(2))) {
                    recipients.add(RecipientInfo.getInstance(e));
                }
                List<Sig> sigs = new ArrayList<>();
                for (org.bouncycastle.asn1.ASN1Encodable e : ASN1Sequence.getInstance(seq.getObjectAt(3))) {
                    ASN1Sequence s = ASN1Sequence.getInstance(e);
                    sigs.add(new Sig(ASN1UTF8String.getInstance(s.getObjectAt(0)).getString(),
                            ASN1OctetString.getInstance(s.getObjectAt(1)).getOctets()));
                }
                return new Block(ASN1Integer.getInstance(seq.getObjectAt(0)).longValueExact(),
                        ASN1OctetString.getInstance(seq.getObjectAt(1)).getOctets(), recipients, sigs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return "Block{epoch " + epoch + ", " + recipients.size() + " recipient(s), signers " + signatures.stream().map(Sig::signer).toList() + "}";
        }
    }

    static byte[] der(org.bouncycastle.asn1.ASN1Encodable e) {
        try {
            return e.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
