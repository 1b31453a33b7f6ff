package io.dynamicshare.testing.keyvault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

/** A response to send: status, optional JSON body, extra headers. */
final class Reply {

    final int status;
    final JsonNode body;
    final Map<String, String> headers = new LinkedHashMap<>();

    Reply(int status, JsonNode body) {
        this.status = status;
        this.body = body;
    }

    static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    static Reply error(VaultError e) {
        return new Reply(e.status, JsonShapes.error(e.code, e.getMessage(), e.innerCode));
    }

    Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    void send(HttpExchange ex) throws IOException {
        byte[] bytes = body == null ? new byte[0] : serialize(body);
        // Headers Key Vault always sends; the SDK logs x-ms-request-id and echoes the client request id.
        ex.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        String clientRequestId = ex.getRequestHeaders().getFirst("x-ms-client-request-id");
        if (clientRequestId != null) {
            ex.getResponseHeaders().set("x-ms-client-request-id", clientRequestId);
        }
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (body != null) {
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        // -1 = no body (HttpServer's convention); 204 must not carry one.
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static byte[] serialize(JsonNode node) {
        try {
            return JsonShapes.MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
