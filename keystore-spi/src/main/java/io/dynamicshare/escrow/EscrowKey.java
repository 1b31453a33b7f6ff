package io.dynamicshare.escrow;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.envelope.OtherRecipient;
import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.kek.KeyWrapCiphers;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;

/**
 * The public half of the offline escrow key (configuration {@code escrow.certificate} or {@code escrow.publicKey}):
 * every entry written while it is configured carries a second recipient, a CMS {@code KeyTransRecipientInfo}
 * (RFC 5652 section 6.2.1) with RSAES-OAEP-SHA-256 (RFC 4055) of the entry's 32-byte data key, so that the holder
 * of the private key can open each entry with {@code openssl cms -decrypt} alone (docs/FORMAT.md, "Escrow
 * recipient"). It is identified as standard CMS tools look for it: by the certificate's issuer and serial number
 * (version 0), or, for a bare public key, by its subject key identifier, the SHA-1 of the key's BIT STRING
 * (RFC 5280 section 4.2.1.2, method 1; version 2).
 *
 * <p>Only RSA keys of at least {@value #MIN_BITS} bits are accepted (NIST SP 800-57 part 1: 128-bit security, as
 * AES-256 offers more than; an escrow key protects every share for as long as it exists).
 *
 * <pre>{@code
 * EscrowKey escrow = EscrowKey.load(Paths.get("escrow.crt"), false);     // ConfigException if not RSA >= 3072
 * OtherRecipient r = escrow.wrap(dataKey);                                // local: no key service
 * }</pre>
 */
public final class EscrowKey {
    /** Smallest modulus accepted, in bits. */
    public static final int MIN_BITS = 3072;

    private final RSAPublicKey publicKey;
    private final RecipientIdentifier rid;
    private final String id;

    private EscrowKey(RSAPublicKey publicKey, RecipientIdentifier rid) {
        this.publicKey = publicKey;
        this.rid = rid;
        this.id = describe(rid);
    }

    /**
     * Reads the escrow certificate ({@code bareKey} false: PEM or DER X.509) or public key ({@code bareKey} true:
     * PEM or DER SubjectPublicKeyInfo).
     *
     * @param setting the configuration key, named in messages
     * @throws ConfigException naming the file and {@code setting} when it cannot be read, is not what was asked for,
     *                         is not RSA of {@value #MIN_BITS} bits or more, or is a certificate whose key usage
     *                         does not include keyEncipherment (RFC 5280 section 4.2.1.3)
     */
    public static EscrowKey load(Path file, boolean bareKey, String setting) throws ConfigException {
        Object o;
        try {
            o = PemDer.read(file);
        } catch (IOException e) {
            throw new ConfigException(setting + ": cannot read the escrow " + (bareKey ? "public key " : "certificate ")
                    + file + ": " + e.getMessage(), e);
        }
        String where = setting + " (" + file + "): ";
        if (bareKey) {
            if (!(o instanceof SubjectPublicKeyInfo)) {
                throw new ConfigException(where + "not a public key (PEM 'PUBLIC KEY' or DER SubjectPublicKeyInfo)");
            }
            SubjectPublicKeyInfo spki = (SubjectPublicKeyInfo) o;
            byte[] ski = subjectKeyIdentifier(spki);
            if (RecipientInfoCodec.isKekId(ski)) {
                // Vanishingly rare, and then the reader would take it for a KEK id: give the key a certificate.
                throw new ConfigException(where + "this key's subject key identifier reads as a KEK id; configure a "
                        + "certificate for it with escrow.certificate instead");
            }
            return new EscrowKey(rsa(spki, where), new RecipientIdentifier(new DEROctetString(ski)));
        }
        if (!(o instanceof X509CertificateHolder)) {
            throw new ConfigException(where + "not an X.509 certificate (PEM 'CERTIFICATE' or DER); a bare public key "
                    + "goes in escrow.publicKey");
        }
        X509CertificateHolder cert = (X509CertificateHolder) o;
        KeyUsage usage = KeyUsage.fromExtensions(cert.getExtensions());
        if (usage != null && !usage.hasUsages(KeyUsage.keyEncipherment)) {
            throw new ConfigException(where + "the certificate's key usage does not allow keyEncipherment, which key "
                    + "transport needs (RFC 5280 section 4.2.1.3)");
        }
        RSAPublicKey key = rsa(cert.getSubjectPublicKeyInfo(), where);
        return new EscrowKey(key, new RecipientIdentifier(new IssuerAndSerialNumber(cert.toASN1Structure())));
    }

    private static RSAPublicKey rsa(SubjectPublicKeyInfo spki, String where) throws ConfigException {
        if (!PKCSObjectIdentifiers.rsaEncryption.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new ConfigException(where + "the escrow key must be RSA (rsaEncryption) of at least " + MIN_BITS
                    + " bits, got a key of algorithm " + spki.getAlgorithm().getAlgorithm());
        }
        RSAPublicKey key;
        try {
            key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(where + "the RSA public key does not parse: " + e.getMessage(), e);
        }
        if (key.getModulus().bitLength() < MIN_BITS) {
            throw new ConfigException(where + "the escrow key is RSA-" + key.getModulus().bitLength() + "; at least "
                    + MIN_BITS + " bits are required");
        }
        return key;
    }

    /** RFC 5280 section 4.2.1.2, method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes, 20 bytes. */
    static byte[] subjectKeyIdentifier(SubjectPublicKeyInfo spki) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is a mandatory JCA algorithm", e);
        }
    }

    /**
     * The data key wrapped for the escrow key: a new recipient, different at every call (OAEP is randomised).
     *
     * @param dataKey 32 bytes; not kept
     * @throws GeneralSecurityException if the JDK's RSA-OAEP fails
     */
    public OtherRecipient wrap(byte[] dataKey) throws GeneralSecurityException {
        KeyWrapCiphers.checkDataKey(dataKey);
        return OtherRecipient.of(RecipientInfoCodec.rsaOaepRecipient(rid, KeyWrapCiphers.rsaOaepWrap(publicKey, dataKey)));
    }

    /** True when {@code r} is a key transport recipient for this escrow key, with the algorithm this format writes. */
    public boolean matches(OtherRecipient r) {
        KeyTransRecipientInfo ktri = r.keyTransport();
        return ktri != null && rid.equals(ktri.getRecipientIdentifier()) && RecipientInfoCodec.isRsaOaep256(ktri);
    }

    /** How inventories and messages name this key: {@code issuer=<DN>, serial=0x<hex>} or {@code ski=<hex>}. */
    public String id() {
        return id;
    }

    /** The modulus length in bits. */
    public int bits() {
        return publicKey.getModulus().bitLength();
    }

    /** How inventories name the key another recipient is for: as {@link #id()}, or its RecipientInfo type. */
    public static String describe(OtherRecipient r) {
        KeyTransRecipientInfo ktri = r.keyTransport();
        return ktri == null ? "recipient of type " + r.info().getInfo().getClass().getSimpleName()
                : describe(ktri.getRecipientIdentifier());
    }

    private static String describe(RecipientIdentifier rid) {
        if (rid.isTagged()) {
            return "ski=" + hex(ASN1OctetString.getInstance(rid.getId()).getOctets());
        }
        IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(rid.getId());
        return "issuer=" + ias.getName() + ", serial=0x" + ias.getSerialNumber().getValue().toString(16);
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "EscrowKey{RSA-" + bits() + ", " + id + "}";
    }
}
