package io.dynamicshare.testing.keyvault;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.OkHttpClient;
import reactor.core.publisher.Mono;

/** Builds real Azure SDK clients wired to a {@link KeyVaultTestDouble} the way production code would be. */
final class SdkClients {

    static final String TOKEN = "static-test-token";

    private SdkClients() {
    }

    /** OkHttp trusting only the double's CA; hostname verification stays on (the cert has SAN IP 127.0.0.1). */
    static HttpClient httpClient(KeyVaultTestDouble vault) {
        OkHttpClient ok = new OkHttpClient.Builder()
                .sslSocketFactory(vault.clientSslContext().getSocketFactory(), vault.trustManager())
                .readTimeout(Duration.ofSeconds(20))
                .build();
        return new OkHttpAsyncHttpClientBuilder(ok).build();
    }

    static TokenCredential staticToken(String token) {
        return ctx -> Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
    }

    static KeyClient keyClient(KeyVaultTestDouble vault, HttpPipelinePolicy... extra) {
        KeyClientBuilder b = new KeyClientBuilder()
                .vaultUrl(vault.vaultUrl())
                .credential(staticToken(TOKEN))
                .disableChallengeResourceVerification()
                .httpClient(httpClient(vault));
        for (HttpPipelinePolicy p : extra) {
            b.addPolicy(p);
        }
        return b.buildClient();
    }

    static CryptographyClient crypto(KeyVaultTestDouble vault, String kid) {
        return crypto(vault, kid, staticToken(TOKEN));
    }

    static CryptographyClient crypto(KeyVaultTestDouble vault, String kid, TokenCredential credential) {
        return new CryptographyClientBuilder()
                .keyIdentifier(kid)
                .credential(credential)
                .disableChallengeResourceVerification()
                .httpClient(httpClient(vault))
                .buildClient();
    }

    /**
     * The Key Vault error code ({@code error.code}) carried by an SDK exception. The SDK deserializes unexpected
     * error bodies into a {@code Map} ({@code {error={code=..., message=...}}}); fall back to the raw body.
     */
    static String errorCode(HttpResponseException e) {
        Object value = e.getValue();
        if (value instanceof Map) {
            Object error = ((Map<?, ?>) value).get("error");
            if (error instanceof Map) {
                Object code = ((Map<?, ?>) error).get("code");
                return code == null ? null : code.toString();
            }
        }
        String json = e.getResponse().getBodyAsBinaryData().toString();
        try {
            JsonNode node = new ObjectMapper().readTree(json);
            return node.path("error").path("code").asText(null);
        } catch (Exception parse) {
            throw new AssertionError("error body is not JSON: value type="
                    + (value == null ? "null" : value.getClass()), parse);
        }
    }
}
