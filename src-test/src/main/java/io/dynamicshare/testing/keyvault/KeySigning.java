package io.dynamicshare.testing.keyvault;

import java.io.IOException;
import java.util.function.Supplier;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.NullDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * The sign/verify algorithms, on a digest the caller already computed (Key Vault never hashes the value again):
 * RS* is PKCS#1 v1.5 over the DER DigestInfo; PS* is RSASSA-PSS with MGF1 of the same hash and a salt as long as
 * the hash (RFC 7518 section 3.5). JCA signatures always hash their input, hence BouncyCastle's lightweight
 * signers fed through a pass-through digest.
 */
final class KeySigning {

    /** One JWA signature algorithm: padding, digest length and hash. */
    private record Alg(boolean pss, int digestLength, ASN1ObjectIdentifier hashOid, Supplier<Digest> hash) {
    }

    private KeySigning() {
    }

    static byte[] sign(KeyVersion key, String alg, byte[] digest) {
        Signer s = signer(algorithm(key, alg, digest));
        s.init(true, parameters(key, true));
        s.update(digest, 0, digest.length);
        try {
            return s.generateSignature();
        } catch (CryptoException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    static boolean verify(KeyVersion key, String alg, byte[] digest, byte[] signature) {
        Signer s = signer(algorithm(key, alg, digest));
        // RFC 8017 8.1.2/8.2.2 step 1: a signature that is not one modulus long is simply invalid.
        if (signature.length != (key.rsaPublic().getModulus().bitLength() + 7) / 8) {
            return false;
        }
        s.init(false, parameters(key, false));
        s.update(digest, 0, digest.length);
        return s.verifySignature(signature);
    }

    private static Alg algorithm(KeyVersion key, String alg, byte[] digest) {
        if (alg == null) {
            throw VaultError.badParameter("Property alg is required.");
        }
        if (!key.isRsa()) {
            // oct / oct-HSM keys have no signature algorithm at all.
            throw KeyCrypto.badAlgorithm(alg, key);
        }
        Alg a = switch (alg) {
            case "RS256" -> new Alg(false, 32, NISTObjectIdentifiers.id_sha256, SHA256Digest::new);
            case "RS384" -> new Alg(false, 48, NISTObjectIdentifiers.id_sha384, SHA384Digest::new);
            case "RS512" -> new Alg(false, 64, NISTObjectIdentifiers.id_sha512, SHA512Digest::new);
            case "PS256" -> new Alg(true, 32, NISTObjectIdentifiers.id_sha256, SHA256Digest::new);
            case "PS384" -> new Alg(true, 48, NISTObjectIdentifiers.id_sha384, SHA384Digest::new);
            case "PS512" -> new Alg(true, 64, NISTObjectIdentifiers.id_sha512, SHA512Digest::new);
            default -> throw KeyCrypto.badAlgorithm(alg, key);
        };
        if (digest.length != a.digestLength()) {
            throw VaultError.badParameter("The digest length " + digest.length + " is invalid for algorithm " + alg
                    + ": expected " + a.digestLength() + " bytes.");
        }
        return a;
    }

    private static Signer signer(Alg a) {
        if (a.pss()) {
            // Raw mode: the "content digest" only sets hLen; the input is the digest itself.
            return PSSSigner.createRawSigner(new RSABlindedEngine(), a.hash().get(), a.hash().get(),
                    a.digestLength(), PSSSigner.TRAILER_IMPLICIT);
        }
        // NullDigest passes the digest through; the OID selects the DigestInfo wrapping.
        return new RSADigestSigner(new NullDigest(), a.hashOid());
    }

    private static AsymmetricKeyParameter parameters(KeyVersion key, boolean forSigning) {
        try {
            return forSigning ? PrivateKeyFactory.createKey(key.rsa.getPrivate().getEncoded())
                    : PublicKeyFactory.createKey(key.rsa.getPublic().getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot convert the RSA key", e);
        }
    }
}
