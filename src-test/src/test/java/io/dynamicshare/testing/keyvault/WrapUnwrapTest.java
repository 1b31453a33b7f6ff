package io.dynamicshare.testing.keyvault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import com.azure.core.exception.HttpResponseException;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.UnwrapResult;
import com.azure.security.keyvault.keys.cryptography.models.WrapResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Wrap/unwrap through the real {@code CryptographyClient}, plus interoperability with plain JCE. */
class WrapUnwrapTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static KeyVaultTestDouble vault;
    private static KeyClient keys;

    @BeforeAll
    static void start() {
        vault = KeyVaultTestDouble.start();
        keys = SdkClients.keyClient(vault);
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    @BeforeEach
    void reset() {
        vault.faults().clear();
        vault.resetCounters();
    }

    @Test
    void rsaOaep256WrapAndUnwrapThroughTheSdk() {
        String kid = vault.createRsaKey("kek-rsa", 2048);
        CryptographyClient crypto = SdkClients.crypto(vault, kid);
        byte[] dek = randomBytes(32);

        WrapResult wrapped = crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dek);
        UnwrapResult unwrapped = crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped.getEncryptedKey());

        assertEquals(256, wrapped.getEncryptedKey().length, "RSA-2048 ciphertext is one modulus long");
        assertEquals(kid, wrapped.getKeyId());
        assertArrayEquals(dek, unwrapped.getKey());
        // RSA-OAEP-256 has no local implementation in the SDK, so both operations must have reached the double.
        assertEquals(1, vault.successfulCalls(Operation.WRAP_KEY));
        assertEquals(1, vault.successfulCalls(Operation.UNWRAP_KEY));
    }

    @Test
    void localJceWrapIsUnwrappedByTheVault() throws Exception {
        String kid = vault.createRsaKey("kek-interop", 3072);
        RSAPublicKey pub = (RSAPublicKey) keys.getKey("kek-interop").getKey().toRsa(false).getPublic();
        byte[] dek = randomBytes(32);

        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.ENCRYPT_MODE, pub, new OAEPParameterSpec(
                "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        byte[] wrappedLocally = oaep.doFinal(dek);

        byte[] unwrapped = SdkClients.crypto(vault, kid)
                .unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrappedLocally).getKey();
        assertArrayEquals(dek, unwrapped);
        assertEquals(1, vault.successfulCalls(Operation.UNWRAP_KEY));
    }

    @Test
    void mgf1DigestMustBeSha256Too() throws Exception {
        // SunJCE's "OAEPWithSHA-256AndMGF1Padding" keeps SHA-1 for MGF1: the double must reject that ciphertext,
        // as Key Vault does, or production code using it would pass here and fail against Azure.
        String kid = vault.createRsaKey("kek-mgf1", 2048);
        Cipher sha1Mgf = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        sha1Mgf.init(Cipher.ENCRYPT_MODE, vault.publicKey(kid));
        byte[] wrongMgf = sha1Mgf.doFinal(randomBytes(32));

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> SdkClients.crypto(vault, kid).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrongMgf));
        assertEquals(400, e.getResponse().getStatusCode());
        assertEquals("BadParameter", SdkClients.errorCode(e));
    }

    @Test
    void a256kwWrapAndUnwrapOnOctHsm() {
        String kid = vault.createOctHsmKey("kek-oct");
        CryptographyClient crypto = SdkClients.crypto(vault, kid);
        byte[] dek = randomBytes(32);

        byte[] wrapped = crypto.wrapKey(KeyWrapAlgorithm.A256KW, dek).getEncryptedKey();
        byte[] unwrapped = crypto.unwrapKey(KeyWrapAlgorithm.A256KW, wrapped).getKey();

        assertEquals(40, wrapped.length, "RFC 3394 adds one 64-bit block");
        assertArrayEquals(dek, unwrapped);
        assertEquals(1, vault.successfulCalls(Operation.WRAP_KEY));
        assertEquals(1, vault.successfulCalls(Operation.UNWRAP_KEY));
    }

    @Test
    void versionlessKeyIdentifierUsesTheNewestVersion() {
        String v1 = vault.createOctHsmKey("kek-versionless");
        String v2 = vault.newVersion("kek-versionless");
        CryptographyClient crypto = SdkClients.crypto(vault, vault.vaultUrl() + "/keys/kek-versionless");
        byte[] dek = randomBytes(32);

        WrapResult wrapped = crypto.wrapKey(KeyWrapAlgorithm.A256KW, dek);

        assertEquals(v2, wrapped.getKeyId());
        assertNotEquals(v1, wrapped.getKeyId());
        assertArrayEquals(dek, SdkClients.crypto(vault, v2)
                .unwrapKey(KeyWrapAlgorithm.A256KW, wrapped.getEncryptedKey()).getKey());
    }

    @Test
    void disabledVersionIsForbidden() {
        String v1 = vault.createRsaKey("kek-disabled", 2048);
        byte[] wrapped = SdkClients.crypto(vault, v1).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, randomBytes(32))
                .getEncryptedKey();
        String v2 = vault.newVersion("kek-disabled");
        vault.setEnabled(v1, false);

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> SdkClients.crypto(vault, v1).unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped));
        assertEquals(403, e.getResponse().getStatusCode());
        assertEquals("Forbidden", SdkClients.errorCode(e));
        // The newer version is unaffected.
        SdkClients.crypto(vault, v2).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, randomBytes(32));
        assertEquals(0, vault.successfulCalls(Operation.UNWRAP_KEY));
        assertEquals(1, vault.calls(Operation.UNWRAP_KEY));
    }

    @Test
    void permissionSwitchDeniesOneOperation() {
        String kid = vault.createRsaKey("kek-denied", 2048);
        CryptographyClient crypto = SdkClients.crypto(vault, kid);
        byte[] wrapped = crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, randomBytes(32)).getEncryptedKey();
        vault.deny("kek-denied", Operation.UNWRAP_KEY);

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped));
        assertEquals(403, e.getResponse().getStatusCode());
        assertEquals("Forbidden", SdkClients.errorCode(e));
        crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, randomBytes(32)); // other operations still allowed

        vault.faults().allow("kek-denied", Operation.UNWRAP_KEY);
        assertEquals(32, crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped).getKey().length);
    }

    @Test
    void deletedKeyIsNotFoundForCryptography() {
        String kid = vault.createRsaKey("kek-deleted", 2048);
        CryptographyClient crypto = SdkClients.crypto(vault, kid);
        byte[] wrapped = crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, randomBytes(32)).getEncryptedKey();
        vault.deleteKey("kek-deleted");

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped));
        assertEquals(404, e.getResponse().getStatusCode());
        assertEquals("KeyNotFound", SdkClients.errorCode(e));
    }

    @Test
    void tamperedCiphertextIsBadParameter() {
        String kid = vault.createOctHsmKey("kek-tamper");
        CryptographyClient crypto = SdkClients.crypto(vault, kid);
        byte[] wrapped = crypto.wrapKey(KeyWrapAlgorithm.A256KW, randomBytes(32)).getEncryptedKey();
        byte[] tampered = Arrays.copyOf(wrapped, wrapped.length);
        tampered[5] ^= 0x01;

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> crypto.unwrapKey(KeyWrapAlgorithm.A256KW, tampered));
        assertEquals(400, e.getResponse().getStatusCode());
        assertEquals("BadParameter", SdkClients.errorCode(e));
    }

    @Test
    void algorithmOfTheWrongKeyTypeIsBadParameter() {
        String kid = vault.createOctHsmKey("kek-wrong-alg");

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> SdkClients.crypto(vault, kid).wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, randomBytes(32)));
        assertEquals(400, e.getResponse().getStatusCode());
        assertEquals("BadParameter", SdkClients.errorCode(e));
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
