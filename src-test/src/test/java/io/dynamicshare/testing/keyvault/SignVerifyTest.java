package io.dynamicshare.testing.keyvault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.azure.core.exception.HttpResponseException;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.SignResult;
import com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm;
import com.azure.security.keyvault.keys.models.CreateOctKeyOptions;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sign/verify through the real {@code CryptographyClient}; signatures are checked with plain JCA over the original
 * message, which proves both the padding parameters and that the double signs the digest without hashing again.
 */
class SignVerifyTest {

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
    void ps256SignatureVerifiesLocallyWithJca() throws Exception {
        String kid = vault.createRsaKey("sig-ps256", 2048);
        byte[] message = WrapUnwrapTest.randomBytes(100);

        SignResult result = SdkClients.crypto(vault, kid).sign(SignatureAlgorithm.PS256, sha("SHA-256", message));

        PublicKey pub = keys.getKey("sig-ps256").getKey().toRsa(false).getPublic();
        byte[] sig = result.getSignature();
        assertEquals(kid, result.getKeyId());
        assertEquals(256, sig.length, "RSA-2048 signature is one modulus long");
        assertTrue(jcaVerify(pub, "PS256", message, sig));
        // Key Vault's salt is exactly the hash length: a verifier expecting another salt length must reject it.
        assertFalse(jcaVerify(pub, pss("SHA-256", 0), message, sig));
        assertFalse(jcaVerify(pub, "PS256", WrapUnwrapTest.randomBytes(100), sig));
        assertEquals(1, vault.successfulCalls(Operation.SIGN));
    }

    @Test
    void rs256SignatureVerifiesLocallyWithJcaAndIsDeterministic() throws Exception {
        String kid = vault.createRsaKey("sig-rs256", 2048);
        byte[] message = WrapUnwrapTest.randomBytes(100);
        byte[] digest = sha("SHA-256", message);
        CryptographyClient crypto = SdkClients.crypto(vault, kid);

        byte[] sig = crypto.sign(SignatureAlgorithm.RS256, digest).getSignature();
        byte[] again = crypto.sign(SignatureAlgorithm.RS256, digest).getSignature();

        PublicKey pub = keys.getKey("sig-rs256").getKey().toRsa(false).getPublic();
        Signature jca = Signature.getInstance("SHA256withRSA");
        jca.initVerify(pub);
        jca.update(message);
        assertTrue(jca.verify(sig));
        assertArrayEquals(sig, again, "PKCS#1 v1.5 has no randomness");
        assertEquals(2, vault.successfulCalls(Operation.SIGN));
    }

    @ParameterizedTest
    @CsvSource({"PS256,SHA-256", "PS384,SHA-384", "PS512,SHA-512", "RS256,SHA-256", "RS384,SHA-384", "RS512,SHA-512"})
    void everyAlgorithmVerifiesLocally(String alg, String hash) throws Exception {
        String kid = vault.createRsaKey("sig-all-" + alg.toLowerCase(), 3072);
        byte[] message = WrapUnwrapTest.randomBytes(64);

        byte[] sig = SdkClients.crypto(vault, kid).sign(SignatureAlgorithm.fromString(alg), sha(hash, message))
                .getSignature();

        assertEquals(384, sig.length);
        assertTrue(jcaVerify(vault.publicKey(kid), alg, message, sig), alg);
    }

    @Test
    void sdkVerifyIsAnsweredByTheVault() throws Exception {
        String kid = vault.createRsaKey("sig-verify", 2048);
        CryptographyClient crypto = SdkClients.crypto(vault, kid);
        byte[] digest = sha("SHA-256", WrapUnwrapTest.randomBytes(50));
        byte[] sig = crypto.sign(SignatureAlgorithm.PS256, digest).getSignature();
        byte[] tampered = Arrays.copyOf(sig, sig.length);
        tampered[10] ^= 0x01;

        assertTrue(crypto.verify(SignatureAlgorithm.PS256, digest, sig).isValid());
        assertFalse(crypto.verify(SignatureAlgorithm.PS256, sha("SHA-256", new byte[1]), sig).isValid());
        assertFalse(crypto.verify(SignatureAlgorithm.PS256, digest, tampered).isValid());
        assertFalse(crypto.verify(SignatureAlgorithm.RS256, digest, sig).isValid());
        // The SDK has no local RSA verify: all four answers must have come from the double.
        assertEquals(4, vault.successfulCalls(Operation.VERIFY));
    }

    @Test
    void signIsRefusedWhenKeyOpsLackSign() {
        keys.createRsaKey(new CreateRsaKeyOptions("sig-no-op").setKeySize(2048)
                .setKeyOperations(KeyOperation.VERIFY, KeyOperation.WRAP_KEY));
        CryptographyClient crypto = SdkClients.crypto(vault, vault.latestKid("sig-no-op"));
        byte[] digest = sha("SHA-256", new byte[3]);

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> crypto.sign(SignatureAlgorithm.PS256, digest));

        assertEquals(403, e.getResponse().getStatusCode());
        assertEquals("KeyOperationForbidden", innerCode(e));
        assertEquals(1, vault.calls(Operation.SIGN));
        // "verify" is still in key_ops: the check is per operation.
        assertFalse(crypto.verify(SignatureAlgorithm.PS256, digest, new byte[256]).isValid());
    }

    @Test
    void disabledKeyCannotSignOrVerify() {
        String kid = vault.createRsaKey("sig-disabled", 2048);
        CryptographyClient crypto = SdkClients.crypto(vault, kid);
        byte[] digest = sha("SHA-256", new byte[3]);
        byte[] sig = crypto.sign(SignatureAlgorithm.RS256, digest).getSignature();
        vault.setEnabled(kid, false);

        HttpResponseException s = assertThrows(HttpResponseException.class,
                () -> crypto.sign(SignatureAlgorithm.RS256, digest));
        HttpResponseException v = assertThrows(HttpResponseException.class,
                () -> crypto.verify(SignatureAlgorithm.RS256, digest, sig));

        for (HttpResponseException e : List.of(s, v)) {
            assertEquals(403, e.getResponse().getStatusCode());
            assertEquals("KeyDisabled", innerCode(e));
        }
        assertEquals(2, vault.calls(Operation.SIGN));
        assertEquals(1, vault.successfulCalls(Operation.SIGN));
    }

    @Test
    void digestLengthMustMatchTheHash() {
        String kid = vault.createRsaKey("sig-length", 2048);
        CryptographyClient crypto = SdkClients.crypto(vault, kid);

        HttpResponseException ps = assertThrows(HttpResponseException.class,
                () -> crypto.sign(SignatureAlgorithm.PS256, new byte[48]));
        HttpResponseException rs = assertThrows(HttpResponseException.class,
                () -> crypto.sign(SignatureAlgorithm.RS512, new byte[32]));
        HttpResponseException verify = assertThrows(HttpResponseException.class,
                () -> crypto.verify(SignatureAlgorithm.PS384, new byte[32], new byte[256]));

        for (HttpResponseException e : List.of(ps, rs, verify)) {
            assertEquals(400, e.getResponse().getStatusCode());
            assertEquals("BadParameter", SdkClients.errorCode(e));
        }
        assertEquals(2, vault.calls(Operation.SIGN));
        assertEquals(0, vault.successfulCalls(Operation.SIGN));
    }

    @Test
    void octHsmKeyCannotSign() {
        // key_ops allow sign, so the refusal can only come from the key type.
        keys.createOctKey(new CreateOctKeyOptions("sig-oct").setHardwareProtected(true)
                .setKeyOperations(KeyOperation.SIGN, KeyOperation.VERIFY));
        CryptographyClient crypto = SdkClients.crypto(vault, vault.latestKid("sig-oct"));

        HttpResponseException sign = assertThrows(HttpResponseException.class,
                () -> crypto.sign(SignatureAlgorithm.PS256, new byte[32]));
        HttpResponseException verify = assertThrows(HttpResponseException.class,
                () -> crypto.verify(SignatureAlgorithm.RS256, new byte[32], new byte[32]));

        for (HttpResponseException e : List.of(sign, verify)) {
            assertEquals(400, e.getResponse().getStatusCode());
            assertEquals("BadParameter", SdkClients.errorCode(e));
        }
        assertEquals(1, vault.calls(Operation.SIGN));
        assertEquals(1, vault.calls(Operation.VERIFY));
    }

    @Test
    void defaultOctHsmKeyOpsRefuseSignBeforeTheAlgorithm() {
        // Same order as wrap/unwrap: disabled, then key_ops, then the algorithm; default oct key_ops lack sign.
        String kid = vault.createOctHsmKey("sig-oct-default");

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> SdkClients.crypto(vault, kid).sign(SignatureAlgorithm.PS256, new byte[32]));

        assertEquals(403, e.getResponse().getStatusCode());
        assertEquals("KeyOperationForbidden", innerCode(e));
    }

    @Test
    void faultsAndPermissionSwitchApplyToSign() {
        String kid = vault.createRsaKey("sig-faults", 2048);
        CryptographyClient crypto = SdkClients.crypto(vault, kid);
        byte[] digest = sha("SHA-256", new byte[3]);
        vault.faults().failNext(1, 503, Operation.SIGN);

        byte[] sig = crypto.sign(SignatureAlgorithm.PS256, digest).getSignature();
        assertEquals(2, vault.calls(Operation.SIGN), "the SDK retried the injected 503");
        assertEquals(1, vault.successfulCalls(Operation.SIGN));

        vault.deny("sig-faults", Operation.SIGN);
        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> crypto.sign(SignatureAlgorithm.PS256, digest));
        assertEquals("ForbiddenByPolicy", innerCode(e));
        assertTrue(crypto.verify(SignatureAlgorithm.PS256, digest, sig).isValid());
    }

    @Test
    void wireShapesWithAndWithoutVersion() throws Exception {
        String kid = vault.createRsaKey("sig-wire", 2048);
        RawHttp http = new RawHttp(vault);
        String digest = b64url(sha("SHA-256", new byte[3]));

        HttpResponse<String> signed = http.send("POST", "/keys/sig-wire//sign?api-version=7.6", "t",
                "{\"alg\":\"PS256\",\"value\":\"" + digest + "\"}");
        assertEquals(200, signed.statusCode());
        JsonNode result = RawHttp.json(signed);
        assertEquals(List.of("kid", "value"), fieldNames(result));
        assertEquals(kid, result.get("kid").asText());
        String sig = result.get("value").asText();
        assertTrue(sig.matches("[A-Za-z0-9_-]+"), "base64url without padding: " + sig);

        String verifyPath = "/keys/sig-wire/" + KeyLifecycleTest.version(kid) + "/verify?api-version=7.6";
        JsonNode valid = RawHttp.json(http.send("POST", verifyPath, "t",
                "{\"alg\":\"PS256\",\"digest\":\"" + digest + "\",\"value\":\"" + sig + "\"}"));
        JsonNode truncated = RawHttp.json(http.send("POST", verifyPath, "t",
                "{\"alg\":\"PS256\",\"digest\":\"" + digest + "\",\"value\":\"" + sig.substring(4) + "\"}"));
        assertEquals("{\"value\":true}", valid.toString());
        assertEquals("{\"value\":false}", truncated.toString());

        assertEquals(405, http.send("GET", "/keys/sig-wire/sign?api-version=7.6", "t", null).statusCode());
    }

    private static boolean jcaVerify(PublicKey pub, String alg, byte[] message, byte[] sig) throws Exception {
        String hash = "SHA-" + alg.substring(2);
        if (alg.startsWith("PS")) {
            return jcaVerify(pub, pss(hash, Integer.parseInt(alg.substring(2)) / 8), message, sig);
        }
        Signature s = Signature.getInstance("SHA" + alg.substring(2) + "withRSA");
        s.initVerify(pub);
        s.update(message);
        return s.verify(sig);
    }

    private static boolean jcaVerify(PublicKey pub, PSSParameterSpec spec, byte[] message, byte[] sig)
            throws Exception {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(spec);
        s.initVerify(pub);
        s.update(message);
        return s.verify(sig);
    }

    private static PSSParameterSpec pss(String hash, int saltLength) {
        return new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength, 1);
    }

    private static byte[] sha(String hash, byte[] message) {
        try {
            return MessageDigest.getInstance(hash).digest(message);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** {@code error.innererror.code} of the answer: tells key_ops, disabled and policy refusals apart. */
    private static String innerCode(HttpResponseException e) {
        JsonNode value = new ObjectMapper().valueToTree(e.getValue());
        String code = value.path("error").path("innererror").path("code").asText(null);
        if (code == null) {
            throw new AssertionError("no innererror.code in " + value + " / " + e.getValue().getClass());
        }
        return code;
    }
}
