package io.dynamicshare.envelope;

import io.dynamicshare.kek.WrappedKey;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EncryptedContentInfo;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Entries as CMS {@code AuthEnvelopedData} (RFC 5083) with AES-256-GCM (RFC 5084). BouncyCastle builds
 * and parses the ASN.1; SunJCE does the GCM. The DER of the authenticated attributes is the GCM AAD, as
 * RFC 5083 section 2.2 prescribes, so the alias, metadata and store binding are authenticated.
 *
 * <pre>{@code
 * DataKey dek = DataKey.generate();
 * SealedEntry e = CmsEnvelope.seal(shares, binding, dek, Collections.singletonList(kek.wrap(dek.getEncoded())));
 * byte[] der = CmsEnvelope.encode(e);                  // what the store file holds
 * byte[] shares = CmsEnvelope.open(CmsEnvelope.parse(der), dek);
 * }</pre>
 */
public final class CmsEnvelope {
    private static final int ICV_LENGTH = AesGcm.TAG_LENGTH;
    private static final byte[] AUTH_ENVELOPED_DATA = Der.encoded(CMSObjectIdentifiers.authEnvelopedData);
    private static final byte[] DATA = Der.encoded(CMSObjectIdentifiers.data);

    private CmsEnvelope() {
    }

    /**
     * Encrypts {@code plaintext} under {@code dek} with a fresh nonce, bound to {@code binding} and committed to
     * {@code dek} ({@link KeyCommitment}).
     */
    public static SealedEntry seal(byte[] plaintext, EntryBinding binding, DataKey dek, List<WrappedKey> recipients)
            throws GeneralSecurityException {
        return seal(plaintext, binding, dek, Recipients.of(recipients, Collections.<OtherRecipient>emptyList()));
    }

    /**
     * {@link #seal(byte[], EntryBinding, DataKey, List)} with every recipient the entry carries: its KEK
     * recipients or branch recipient (hierarchical mode) and, for example, an escrow key's
     * ({@code io.dynamicshare.escrow.EscrowRecipients}).
     */
    public static SealedEntry seal(byte[] plaintext, EntryBinding binding, DataKey dek, Recipients recipients)
            throws GeneralSecurityException {
        byte[] k = dek.getEncoded();
        try {
            binding = binding.withCommitment(KeyCommitment.of(k, KeyCommitment.DATA_KEY));
        } finally {
            Arrays.fill(k, (byte) 0);
        }
        byte[] aad = BindingCodec.encode(binding);
        byte[] nonce = AesGcm.newNonce();
        byte[] ciphertextAndTag = AesGcm.encrypt(dek, nonce, aad, plaintext);
        return new SealedEntry(binding, recipients, nonce, aad, ciphertextAndTag);
    }

    /**
     * Decrypts an entry. The tag covers the ciphertext and the binding; an altered entry throws and never
     * returns plaintext.
     *
     * @return the plaintext in a new array; the caller owns (and zeroes) it
     */
    public static byte[] open(SealedEntry entry, DataKey dek) throws GeneralSecurityException {
        return AesGcm.decrypt(dek, entry.gcmParameters(), entry.aad(), entry.ciphertextAndTag());
    }

    /**
     * Checks that an unwrapped data key is the one a format-2 entry commits to; format-1 entries carry no
     * commitment and pass. Called once per unwrap, before the key is cached or used.
     *
     * @throws KeyCommitmentException if a recipient held another key
     */
    public static void checkCommitment(SealedEntry entry, byte[] dataKey) throws KeyCommitmentException {
        EntryBinding b = entry.binding();
        if (b.isKeyCommitting()) {
            KeyCommitment.check(dataKey, KeyCommitment.DATA_KEY, b.keyCommitmentNoCopy(), "entry");
        }
    }

    /** The DER ContentInfo of an entry. */
    public static byte[] encode(SealedEntry e) {
        byte[] ct = e.ciphertextAndTag();
        int ctLength = ct.length - ICV_LENGTH;
        EncryptedContentInfo eci = new EncryptedContentInfo(CMSObjectIdentifiers.data,
                new AlgorithmIdentifier(NISTObjectIdentifiers.id_aes256_GCM, new GCMParameters(e.nonce(), ICV_LENGTH)),
                new DEROctetString(Arrays.copyOfRange(ct, 0, ctLength)));
        ASN1Set authAttrs;
        try {
            authAttrs = ASN1Set.getInstance(ASN1Primitive.fromByteArray(e.aad()));
        } catch (IOException ex) {
            throw new IllegalStateException("authenticated attributes were encoded by this class", ex);
        }
        AuthEnvelopedData aed = new AuthEnvelopedData(null, RecipientInfoCodec.encodeAll(e.allRecipients()), eci, authAttrs,
                new DEROctetString(Arrays.copyOfRange(ct, ctLength, ct.length)), null);
        try {
            return new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, aed).getEncoded(ASN1Encoding.DER);
        } catch (IOException ex) {
            throw new IllegalStateException("DER encoding to memory failed", ex);
        }
    }

    /**
     * Parses and checks the structure of an encoded entry (not its tag: that is {@link #open}'s job). The entry
     * is walked in place ({@link DerReader}): the encrypted content and MAC are copied once, into the array the
     * cipher reads; the AAD is the authAttrs bytes as written, retagged as a SET OF (RFC 5083 section 2.2); only
     * the recipients, the algorithm and the attributes are decoded by BouncyCastle.
     */
    public static SealedEntry parse(byte[] der) throws EnvelopeException {
        try {
            DerReader file = new DerReader(der, 0, der.length);
            DerReader ci = file.enter(Der.SEQUENCE, "ContentInfo");
            file.requireEnd("the entry");
            requireOid(ci.element(Der.OID, "content type"), AUTH_ENVELOPED_DATA, "not a CMS AuthEnvelopedData");
            DerReader content = ci.enter(Der.CONTEXT_0_CONSTRUCTED, "content");
            ci.requireEnd("ContentInfo");
            DerReader aed = content.enter(Der.SEQUENCE, "AuthEnvelopedData");
            content.requireEnd("content");
            byte[] version = aed.contents(Der.INTEGER, "version");
            if (version.length != 1 || version[0] != 0) {
                throw new EnvelopeException("AuthEnvelopedData version must be 0");
            }
            if (aed.peekTag() == Der.CONTEXT_0_CONSTRUCTED) {
                throw new EnvelopeException("originator info and unauthenticated attributes are not part of this format");
            }
            Recipients recipients = RecipientInfoCodec.decodeEntry(
                    ASN1Set.getInstance(ASN1Primitive.fromByteArray(aed.element(Der.SET, "recipientInfos"))));
            DerReader eci = aed.enter(Der.SEQUENCE, "authEncryptedContentInfo");
            requireOid(eci.element(Der.OID, "encrypted content type"), DATA, "encrypted content type is not id-data");
            byte[] nonce = gcmNonce(AlgorithmIdentifier.getInstance(
                    ASN1Primitive.fromByteArray(eci.element(Der.SEQUENCE, "content encryption algorithm"))));
            int ctLength = eci.next(Der.CONTEXT_0, "encrypted content (a DER [0] IMPLICIT OCTET STRING)");
            int ctStart = eci.contentStart();
            eci.requireEnd("authEncryptedContentInfo");
            byte[] aad = aed.element(Der.CONTEXT_1_CONSTRUCTED, "authAttrs");
            aad[0] = Der.SET;
            EntryBinding binding = BindingCodec.decode(ASN1Set.getInstance(ASN1Primitive.fromByteArray(aad)));
            if (aed.next(Der.OCTET_STRING, "mac") != ICV_LENGTH) {
                throw new EnvelopeException("MAC must be " + ICV_LENGTH + " bytes");
            }
            int macStart = aed.contentStart();
            if (aed.peekTag() != -1) {
                throw new EnvelopeException("originator info and unauthenticated attributes are not part of this format");
            }
            byte[] ctAndTag = new byte[ctLength + ICV_LENGTH];
            System.arraycopy(der, ctStart, ctAndTag, 0, ctLength);
            System.arraycopy(der, macStart, ctAndTag, ctLength, ICV_LENGTH);
            return new SealedEntry(binding, recipients, nonce, aad, ctAndTag);
        } catch (IOException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
            throw new EnvelopeException("malformed CMS AuthEnvelopedData: " + e.getMessage(), e);
        }
    }

    private static byte[] gcmNonce(AlgorithmIdentifier alg) throws EnvelopeException {
        if (!NISTObjectIdentifiers.id_aes256_GCM.equals(alg.getAlgorithm())) {
            throw new EnvelopeException("content encryption is not AES-256-GCM (" + alg.getAlgorithm() + ")");
        }
        GCMParameters gcm = GCMParameters.getInstance(alg.getParameters());
        byte[] nonce = gcm.getNonce();
        if (nonce.length != AesGcm.NONCE_LENGTH || gcm.getIcvLen() != ICV_LENGTH) {
            throw new EnvelopeException("GCM parameters must be a 96-bit nonce and a 128-bit tag");
        }
        return nonce;
    }

    private static void requireOid(byte[] found, byte[] expected, String message) throws EnvelopeException {
        if (!Arrays.equals(found, expected)) {
            throw new EnvelopeException(message);
        }
    }
}
