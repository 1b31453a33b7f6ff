package io.dynamicshare.testing.keyvault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain JDK HTTP client for wire-level assertions the SDK would hide (headers, exact status codes). */
final class RawHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final String base;

    RawHttp(KeyVaultTestDouble vault) {
        this.client = HttpClient.newBuilder()
                .sslContext(vault.clientSslContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.base = vault.vaultUrl();
    }

    HttpResponse<String> send(String method, String pathAndQuery, String bearer, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String errorCode(HttpResponse<String> r) throws IOException {
        return json(r).path("error").path("code").asText(null);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
