package io.dynamicshare.testing.keyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.HttpRequest;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.KeyServiceVersion;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wire-level behaviour: TLS, trust material, api-version, error shapes, raw fault answers. */
class ProtocolTest {

    private static KeyVaultTestDouble vault;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        vault = KeyVaultTestDouble.start();
        http = new RawHttp(vault);
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    @BeforeEach
    void reset() {
        vault.faults().clear();
        vault.auth().acceptAnyToken();
        vault.resetCounters();
    }

    @Test
    void serverCertificateIsIssuedByTheCaForLoopback() throws Exception {
        X509Certificate server = vault.serverCertificate();
        server.verify(vault.caCertificate().getPublicKey());
        Collection<List<?>> sans = server.getSubjectAlternativeNames();
        assertTrue(sans.contains(List.of(7, "127.0.0.1")), sans.toString());
        assertTrue(sans.contains(List.of(2, "localhost")), sans.toString());
        assertTrue(vault.vaultUrl().matches("https://127\\.0\\.0\\.1:\\d+"), vault.vaultUrl());
    }

    @Test
    void negotiatesTls12AndTls13() throws Exception {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            assertEquals(protocol, handshake(vault.clientSslContext(), protocol));
        }
    }

    @Test
    void rejectsClientsThatDoNotTrustTheCa() throws Exception {
        assertThrows(SSLHandshakeException.class, () -> handshake(SSLContext.getDefault(), "TLSv1.3"));
    }

    @Test
    void writesALoadablePkcs12TrustStore(@TempDir Path dir) throws Exception {
        char[] password = "changeit".toCharArray();
        Path file = vault.writeTrustStore(dir, password);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password);
        }
        String alias = ks.aliases().nextElement();
        assertTrue(ks.isCertificateEntry(alias));
        assertEquals(vault.caCertificate(), ks.getCertificate(alias));
        assertEquals(1, ks.size());
        assertEquals(vault.caCertificate(), vault.trustStore().getCertificate(alias));
    }

    @Test
    void missingTokenGetsTheKeyVaultChallenge() throws Exception {
        HttpResponse<String> r = http.send("GET", "/keys/any?api-version=7.6", null, null);

        assertEquals(401, r.statusCode());
        assertEquals("Bearer authorization=\"https://login.microsoftonline.com/" + AuthSettings.DEFAULT_TENANT_ID
                        + "\", resource=\"https://vault.azure.net\"",
                r.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals("Unauthorized", RawHttp.errorCode(r));
        assertEquals(1, vault.challenges());
        assertEquals(1, vault.calls(Operation.GET_KEY));
        assertEquals(0, vault.successfulCalls(Operation.GET_KEY));
    }

    @Test
    void unacceptedTokenIs401() throws Exception {
        vault.auth().acceptTokens("the-good-one");
        vault.createOctHsmKey("auth-check");

        assertEquals(401, http.send("GET", "/keys/auth-check?api-version=7.6", "a-bad-one", null).statusCode());
        assertEquals(200, http.send("GET", "/keys/auth-check?api-version=7.6", "the-good-one", null).statusCode());
    }

    @Test
    void everySdkServiceVersionIsAccepted() throws Exception {
        vault.createOctHsmKey("versions");
        for (KeyServiceVersion v : KeyServiceVersion.values()) {
            HttpResponse<String> r = http.send("GET", "/keys/versions?api-version=" + v.getVersion(), "t", null);
            assertEquals(200, r.statusCode(), v.getVersion());
        }
        assertEquals(KeyServiceVersion.getLatest().getVersion(),
                KeyVaultTestDouble.SUPPORTED_API_VERSIONS.get(KeyVaultTestDouble.SUPPORTED_API_VERSIONS.size() - 1));
    }

    @Test
    void missingOrUnknownApiVersionIsBadParameter() throws Exception {
        vault.createOctHsmKey("no-version");
        HttpResponse<String> missing = http.send("GET", "/keys/no-version", "t", null);
        HttpResponse<String> unknown = http.send("GET", "/keys/no-version?api-version=7.7", "t", null);

        assertEquals(400, missing.statusCode());
        assertEquals("BadParameter", RawHttp.errorCode(missing));
        assertEquals(400, unknown.statusCode());
        assertEquals("BadParameter", RawHttp.errorCode(unknown));
    }

    @Test
    void sdkWithUnknownApiVersionGets400BadParameter() {
        vault.createOctHsmKey("sdk-version");
        HttpPipelinePolicy rewrite = (ctx, next) -> {
            HttpRequest req = ctx.getHttpRequest();
            req.setUrl(req.getUrl().toString().replaceAll("api-version=[^&]*", "api-version=1999-01-01"));
            return next.process();
        };
        KeyClient client = SdkClients.keyClient(vault, rewrite);

        HttpResponseException e = assertThrows(HttpResponseException.class, () -> client.getKey("sdk-version"));
        assertEquals(400, e.getResponse().getStatusCode());
        assertEquals("BadParameter", SdkClients.errorCode(e));
    }

    @Test
    void sdkPinnedToAnOlderServiceVersionWorks() {
        String kid = vault.createRsaKey("old-version", 2048);
        KeyClient client = new KeyClientBuilder()
                .vaultUrl(vault.vaultUrl())
                .serviceVersion(KeyServiceVersion.V7_0)
                .credential(SdkClients.staticToken("t"))
                .disableChallengeResourceVerification()
                .httpClient(SdkClients.httpClient(vault))
                .buildClient();

        assertEquals(kid, client.getKey("old-version").getId());
    }

    @Test
    void wrapRequestValidation() throws Exception {
        String kid = vault.createRsaKey("validate", 2048);
        String path = "/keys/validate/" + KeyLifecycleTest.version(kid) + "/wrapkey?api-version=7.6";

        HttpResponse<String> badB64 = http.send("POST", path, "t", "{\"alg\":\"RSA-OAEP-256\",\"value\":\"@@@\"}");
        HttpResponse<String> badAlg = http.send("POST", path, "t", "{\"alg\":\"A256KW\",\"value\":\"AAAA\"}");
        HttpResponse<String> ok = http.send("POST", path, "t", "{\"alg\":\"RSA-OAEP-256\",\"value\":\"AAAA\"}");

        assertEquals(400, badB64.statusCode());
        assertEquals("BadParameter", RawHttp.errorCode(badB64));
        assertEquals(400, badAlg.statusCode());
        assertEquals("BadParameter", RawHttp.errorCode(badAlg));
        assertEquals(200, ok.statusCode());
        JsonNode result = RawHttp.json(ok);
        assertEquals(kid, result.get("kid").asText());
        assertFalse(result.get("value").asText().contains("="), "base64url without padding");
    }

    @Test
    void keyBundleHasTheRestShape() throws Exception {
        String kid = vault.createOctHsmKey("shape");
        JsonNode bundle = RawHttp.json(http.send("GET", "/keys/shape?api-version=2025-07-01", "t", null));

        assertEquals(kid, bundle.at("/key/kid").asText());
        assertEquals("oct-HSM", bundle.at("/key/kty").asText());
        assertTrue(bundle.at("/key/key_ops").isArray());
        assertTrue(bundle.at("/key/k").isMissingNode());
        assertTrue(bundle.at("/attributes/enabled").asBoolean());
        assertTrue(bundle.at("/attributes/created").isIntegralNumber());
        assertTrue(bundle.at("/attributes/updated").isIntegralNumber());
        assertEquals("Recoverable+Purgeable", bundle.at("/attributes/recoveryLevel").asText());
    }

    @Test
    void throttledAnswerCarriesRetryAfter() throws Exception {
        vault.createOctHsmKey("throttled");
        vault.faults().throttleNext(1, 7);

        HttpResponse<String> r = http.send("GET", "/keys/throttled?api-version=7.6", "t", null);

        assertEquals(429, r.statusCode());
        assertEquals("7", r.headers().firstValue("Retry-After").orElseThrow());
        assertEquals("Throttled", RawHttp.errorCode(r));
    }

    @Test
    void droppedConnectionGivesNoResponseAtAll() throws Exception {
        // A raw socket, because JDK and OkHttp clients silently retry idempotent requests on a closed connection.
        vault.createOctHsmKey("dropped");
        vault.faults().dropNext(1);

        int read;
        try (SSLSocket socket = (SSLSocket) vault.clientSslContext().getSocketFactory()
                .createSocket("127.0.0.1", port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /keys/dropped?api-version=7.6 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            try {
                read = socket.getInputStream().read();
            } catch (IOException closedAbruptly) {
                read = -1;
            }
        }
        assertEquals(-1, read, "not a single response byte");
        assertEquals(1, vault.calls(Operation.GET_KEY));
        assertEquals(0, vault.successfulCalls(Operation.GET_KEY));
        assertEquals(200, http.send("GET", "/keys/dropped?api-version=7.6", "t", null).statusCode());
    }

    private static int port() {
        return Integer.parseInt(vault.vaultUrl().substring(vault.vaultUrl().lastIndexOf(':') + 1));
    }

    private static String handshake(SSLContext ctx, String protocol) throws IOException {
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port())) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return socket.getSession().getProtocol();
        }
    }
}
