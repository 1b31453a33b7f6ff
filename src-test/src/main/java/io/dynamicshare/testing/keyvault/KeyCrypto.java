package io.dynamicshare.testing.keyvault;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.spec.MGF1ParameterSpec;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * The wrap/unwrap algorithms, with the exact JCE parameters Key Vault uses:
 * RSA-OAEP-256 is OAEP with SHA-256 for both the digest and MGF1 (JCE's "OAEPWithSHA-256AndMGF1Padding" would
 * use SHA-1 for MGF1, hence the explicit {@link OAEPParameterSpec}); A*KW is RFC 3394 ("AESWrap").
 */
final class KeyCrypto {

    private static final OAEPParameterSpec OAEP_SHA256 = new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);
    private static final OAEPParameterSpec OAEP_SHA1 = new OAEPParameterSpec(
            "SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);

    private KeyCrypto() {
    }

    static byte[] wrap(KeyVersion key, String alg, byte[] plain) {
        return run(key, alg, plain, true);
    }

    static byte[] unwrap(KeyVersion key, String alg, byte[] wrapped) {
        return run(key, alg, wrapped, false);
    }

    private static byte[] run(KeyVersion key, String alg, byte[] input, boolean wrap) {
        if (alg == null) {
            throw VaultError.badParameter("Property alg is required.");
        }
        try {
            if (key.isRsa()) {
                Key k = wrap ? key.rsa.getPublic() : key.rsa.getPrivate();
                int mode = wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE;
                Cipher c;
                switch (alg) {
                    case "RSA-OAEP-256":
                        c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                        c.init(mode, k, OAEP_SHA256);
                        break;
                    case "RSA-OAEP":
                        c = Cipher.getInstance("RSA/ECB/OAEPPadding");
                        c.init(mode, k, OAEP_SHA1);
                        break;
                    case "RSA1_5":
                        c = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                        c.init(mode, k);
                        break;
                    default:
                        throw badAlgorithm(alg, key);
                }
                return c.doFinal(input);
            }
            int expectedBits;
            switch (alg) {
                case "A128KW": expectedBits = 128; break;
                case "A192KW": expectedBits = 192; break;
                case "A256KW": expectedBits = 256; break;
                default: throw badAlgorithm(alg, key);
            }
            if (expectedBits != key.keySize) {
                throw badAlgorithm(alg, key);
            }
            // RFC 3394 works on 64-bit blocks: at least two for the plaintext, three for the wrapped form.
            int min = wrap ? 16 : 24;
            if (input.length < min || input.length % 8 != 0) {
                throw VaultError.badParameter("The length of the value is invalid for " + alg + ".");
            }
            Cipher c = Cipher.getInstance("AESWrap");
            c.init(wrap ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key.secret);
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            // Wrong padding / integrity check / size: the caller sent a value this key cannot process.
            throw VaultError.badParameter((wrap ? "Wrap" : "Unwrap") + " failed: the value is invalid for this key"
                    + " and algorithm (" + e.getClass().getSimpleName() + ").");
        }
    }

    /** The answer to an algorithm the key type or size does not support; shared with {@link KeySigning}. */
    static VaultError badAlgorithm(String alg, KeyVersion key) {
        return VaultError.badParameter("Algorithm " + alg + " is not supported for key type " + key.kty
                + " of size " + key.keySize + ".");
    }
}
