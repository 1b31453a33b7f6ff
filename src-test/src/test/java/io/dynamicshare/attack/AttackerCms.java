package io.dynamicshare.attack;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.KEKIdentifier;
import org.bouncycastle.asn1.cms.KEKRecipientInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAESOAEPparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The attacker's own CMS entries (RFC 5083 AuthEnvelopedData, AES-256-GCM) and RecipientInfos, built with
 * BouncyCastle's ASN.1 classes and the JDK's ciphers only, never with the product's envelope code: what anyone who
 * has read the format can produce. Entries it makes are well formed; whether they are <em>trusted</em> is what the
 * tests check.
 */
final class AttackerCms {
    static final SecureRandom RANDOM = new SecureRandom();
    /** The product's attribute arc (a UUID OID, X.667), and its attributes. */
    static final ASN1ObjectIdentifier ARC = new ASN1ObjectIdentifier("2.25.57451746668606488038310949905128049590");
    static final ASN1ObjectIdentifier FORMAT_VERSION = ARC.branch("1");
    static final ASN1ObjectIdentifier STORE_ID = ARC.branch("2");
    static final ASN1ObjectIdentifier ALIAS = ARC.branch("3");
    static final ASN1ObjectIdentifier WALLET_METADATA = ARC.branch("4");
    static final ASN1ObjectIdentifier CREATION_TIME = ARC.branch("5");
    static final ASN1ObjectIdentifier ALLOW_IDENTITY_ONLY = ARC.branch("6");
    static final ASN1ObjectIdentifier KEY_COMMITMENT = ARC.branch("7");
    static final ASN1ObjectIdentifier KEY_EPOCH = ARC.branch("8");

    private static final AlgorithmIdentifier SHA256 =
            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE);
    static final AlgorithmIdentifier RSA_OAEP_SHA256 = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSAES_OAEP,
            new RSAESOAEPparams(SHA256, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, SHA256),
                    RSAESOAEPparams.DEFAULT_P_SOURCE_ALGORITHM));
    private static final OAEPParameterSpec OAEP =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private AttackerCms() {
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    // ---- key wrapping and RecipientInfos ------------------------------------------------------------------------

    /** RSAES-OAEP-SHA-256 with a public key: anyone can do it. */
    static byte[] rsaOaepWrap(PublicKey key, byte[] plaintext) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, key, OAEP);
        return c.doFinal(plaintext);
    }

    /** Needs the private key: insiders only. */
    static byte[] rsaOaepUnwrap(PrivateKey key, byte[] wrapped) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.DECRYPT_MODE, key, OAEP);
        return c.doFinal(wrapped);
    }

    /** RFC 3394 key unwrap: needs the AES KEK, insiders only. Returns the raw unwrapped bytes. */
    static byte[] aesKeyUnwrap(Key kek, byte[] wrapped) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AESWrap");
        c.init(Cipher.UNWRAP_MODE, kek);
        return c.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded();
    }

    /** A key transport recipient naming {@code kekId}, holding {@code encryptedKey} as is. */
    static RecipientInfo rsaRecipient(String kekId, byte[] encryptedKey) {
        return new RecipientInfo(new KeyTransRecipientInfo(new RecipientIdentifier(
                new DEROctetString(kekId.getBytes(StandardCharsets.UTF_8))), RSA_OAEP_SHA256,
                new DEROctetString(encryptedKey)));
    }

    /** A key transport recipient naming {@code kekId}, {@code key} wrapped with {@code publicKey}. */
    static RecipientInfo rsaRecipient(String kekId, PublicKey publicKey, byte[] key) throws GeneralSecurityException {
        return rsaRecipient(kekId, rsaOaepWrap(publicKey, key));
    }

    /** A KEK (AES key wrap) recipient naming {@code kekId}, holding {@code wrapped} as is. */
    static RecipientInfo aesRecipient(String kekId, byte[] wrapped) {
        return new RecipientInfo(new KEKRecipientInfo(new KEKIdentifier(kekId.getBytes(StandardCharsets.UTF_8), null,
                null), new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_wrap), new DEROctetString(wrapped)));
    }

    /** The KEK id a recipient names. */
    static String kekId(RecipientInfo r) {
        ASN1Encodable inner = r.getInfo();
        byte[] id = inner instanceof KeyTransRecipientInfo k
                ? ASN1OctetString.getInstance(k.getRecipientIdentifier().getId()).getOctets()
                : ((KEKRecipientInfo) inner).getKekid().getKeyIdentifier().getOctets();
        return new String(id, StandardCharsets.UTF_8);
    }

    /** The wrapped bytes a recipient holds. */
    static byte[] encryptedKey(RecipientInfo r) {
        ASN1Encodable inner = r.getInfo();
        return inner instanceof KeyTransRecipientInfo k ? k.getEncryptedKey().getOctets()
                : ((KEKRecipientInfo) inner).getEncryptedKey().getOctets();
    }

    /** The same recipient, naming another KEK id. */
    static RecipientInfo renamed(RecipientInfo r, String kekId) {
        return r.getInfo() instanceof KeyTransRecipientInfo ? rsaRecipient(kekId, encryptedKey(r))
                : aesRecipient(kekId, encryptedKey(r));
    }

    // ---- entries ------------------------------------------------------------------------------------------------

    /** What an entry is bound to (its authenticated attributes). Format 1 has no commitment and no epoch. */
    record Binding(int formatVersion, String alias, byte[] metadata, byte[] storeId, long creationTime,
                   boolean identityOnly, long keyEpoch) {
        static Binding v2(String alias, byte[] metadata, byte[] storeId, long keyEpoch) {
            return new Binding(2, alias, metadata, storeId, System.currentTimeMillis(), false, keyEpoch);
        }

        static Binding v1(String alias, byte[] metadata, byte[] storeId) {
            return new Binding(1, alias, metadata, storeId, System.currentTimeMillis(), false, 0);
        }
    }

    /** The authenticated attributes, DER SET OF: the GCM AAD (RFC 5083 section 2.2). */
    static ASN1Set authAttrs(Binding b, byte[] commitment) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(attr(CMSAttributes.contentType, CMSObjectIdentifiers.data));
        v.add(attr(FORMAT_VERSION, new ASN1Integer(b.formatVersion)));
        v.add(attr(STORE_ID, new DEROctetString(b.storeId)));
        v.add(attr(ALIAS, new DERUTF8String(b.alias)));
        v.add(attr(WALLET_METADATA, new DEROctetString(b.metadata)));
        v.add(attr(CREATION_TIME, new ASN1Integer(b.creationTime)));
        if (b.identityOnly) {
            v.add(attr(ALLOW_IDENTITY_ONLY, ASN1Boolean.TRUE));
        }
        if (commitment != null) {
            v.add(attr(KEY_COMMITMENT, new DEROctetString(commitment)));
            v.add(attr(KEY_EPOCH, new ASN1Integer(b.keyEpoch)));
        }
        return new DERSet(v);
    }

    private static Attribute attr(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new Attribute(type, new DERSet(value));
    }

    /**
     * Seals {@code plaintext} under {@code dataKey} (format 2 entries commit to it) with a fresh nonce.
     *
     * @return the DER ContentInfo, as a store file holds it
     */
    static byte[] seal(Binding b, byte[] dataKey, byte[] plaintext, List<RecipientInfo> recipients)
            throws GeneralSecurityException {
        byte[] commitment = b.formatVersion >= 2
                ? StoreCrypto.commitment(dataKey, StoreCrypto.DATA_KEY_COMMITMENT_LABEL) : null;
        ASN1Set attrs = authAttrs(b, commitment);
        byte[] nonce = random(12);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(StoreCrypto.der(attrs));
        return encode(recipients, nonce, attrs, gcm.doFinal(plaintext));
    }

    /** Builds the ContentInfo from its parts; {@code ctAndTag} is the GCM output (ciphertext, then 16-byte tag). */
    static byte[] encode(List<RecipientInfo> recipients, byte[] nonce, ASN1Set authAttrs, byte[] ctAndTag) {
        int n = ctAndTag.length - 16;
        ASN1EncodableVector ris = new ASN1EncodableVector();
        recipients.forEach(ris::add);
        EncryptedContentInfo eci = new EncryptedContentInfo(CMSObjectIdentifiers.data,
                new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_GCM, new GCMParameters(nonce, 16)),
                new DEROctetString(Arrays.copyOfRange(ctAndTag, 0, n)));
        AuthEnvelopedData aed = new AuthEnvelopedData(null, new DERSet(ris), eci, authAttrs,
                new DEROctetString(Arrays.copyOfRange(ctAndTag, n, ctAndTag.length)), null);
        return StoreCrypto.der(new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, aed));
    }

    /** An entry taken apart: enough to rebuild it with other recipients or another ciphertext. */
    record Parsed(List<RecipientInfo> recipients, byte[] nonce, ASN1Set authAttrs, byte[] ctAndTag) {
        /** The GCM AAD: the authenticated attributes' DER with the SET OF tag. */
        byte[] aad() {
            return StoreCrypto.der(authAttrs);
        }

        byte[] encode() {
            return AttackerCms.encode(recipients, nonce, authAttrs, ctAndTag);
        }

        Parsed withRecipients(List<RecipientInfo> r) {
            return new Parsed(r, nonce, authAttrs, ctAndTag);
        }

        Parsed withCiphertext(byte[] c) {
            return new Parsed(recipients, nonce, authAttrs, c);
        }
    }

    static Parsed parse(byte[] entryDer) {
        try {
            ContentInfo ci = ContentInfo.getInstance(ASN1Primitive.fromByteArray(entryDer));
            AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ci.getContent());
            List<RecipientInfo> recipients = new ArrayList<>();
            for (ASN1Encodable e : aed.getRecipientInfos()) {
                recipients.add(RecipientInfo.getInstance(e));
            }
            EncryptedContentInfo eci = aed.getAuthEncryptedContentInfo();
            byte[] nonce = GCMParameters.getInstance(eci.getContentEncryptionAlgorithm().getParameters()).getNonce();
            byte[] ct = eci.getEncryptedContent().getOctets();
            byte[] mac = aed.getMac().getOctets();
            byte[] ctAndTag = Arrays.copyOf(ct, ct.length + mac.length);
            System.arraycopy(mac, 0, ctAndTag, ct.length, mac.length);
            return new Parsed(recipients, nonce, aed.getAuthAttrs(), ctAndTag);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
