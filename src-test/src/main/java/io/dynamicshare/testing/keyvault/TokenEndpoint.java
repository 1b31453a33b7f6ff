package io.dynamicshare.testing.keyvault;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Minimal Microsoft Entra ID (AAD) v2.0 emulation, enough for MSAL's client-credentials flow when the credential
 * is built with {@code authorityHost(vaultUrl)} and {@code disableInstanceDiscovery()}: the token endpoint plus
 * the two discovery documents MSAL may ask for. Issued tokens are opaque random strings that the vault accepts
 * even when {@link AuthSettings#acceptTokens} restricts the accepted set.
 */
final class TokenEndpoint {

    private final AuthSettings auth;
    private final String baseUrl;
    private final SecureRandom random = new SecureRandom();

    TokenEndpoint(AuthSettings auth, String baseUrl) {
        this.auth = auth;
        this.baseUrl = baseUrl;
    }

    Reply dispatch(Route r, byte[] body, com.sun.net.httpserver.Headers headers, Map<String, String> query) {
        if (Operation.DISCOVERY.equals(r.operation())) {
            return "openid".equals(r.version()) ? openIdConfiguration(r.name()) : instanceDiscovery();
        }
        if (Operation.MANAGED_IDENTITY_TOKEN.equals(r.operation())) {
            return managedIdentityToken("imds".equals(r.version()), headers, query);
        }
        return token(r.name(), form(body), headers.getFirst("Authorization"));
    }

    /**
     * A managed-identity token endpoint: App Service's ({@code X-IDENTITY-HEADER} must be the configured identity
     * header, api-version 2019-08-01) or IMDS's ({@code Metadata: true}, api-version 2018-02-01). MSAL reads
     * {@code access_token} and {@code expires_on} (epoch seconds, as a string).
     */
    private Reply managedIdentityToken(boolean imds, com.sun.net.httpserver.Headers headers, Map<String, String> query) {
        if (imds) {
            if (!"true".equalsIgnoreCase(headers.getFirst("Metadata"))) {
                return aadError(400, "invalid_request", "Required metadata header not specified");
            }
        } else if (!auth.identityHeaderAllowed(headers.getFirst("X-IDENTITY-HEADER"))) {
            return aadError(401, "invalid_request", "The X-IDENTITY-HEADER header is missing or wrong.");
        }
        String resource = query.get("resource");
        if (resource == null || resource.isBlank()) {
            return aadError(400, "invalid_request", "Required query variable 'resource' is missing");
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = "kvd-mi-" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        auth.issued(token);
        ObjectNode out = JsonShapes.MAPPER.createObjectNode();
        out.put("access_token", token);
        out.put("expires_on", Long.toString(System.currentTimeMillis() / 1000 + 3600));
        out.put("resource", resource);
        out.put("token_type", "Bearer");
        out.put("client_id", query.getOrDefault("client_id", "00000000-0000-4000-8000-00000000000a"));
        return Reply.ok(out);
    }

    private Reply token(String tenant, Map<String, String> form, String authorizationHeader) {
        if (!auth.tenantId().equalsIgnoreCase(tenant)) {
            return aadError(400, "invalid_request", "AADSTS90002: Tenant '" + tenant + "' not found.");
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return aadError(400, "unsupported_grant_type", "AADSTS70003: Only client_credentials is emulated.");
        }
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        if (secret == null && authorizationHeader != null && authorizationHeader.startsWith("Basic ")) {
            // client_secret_basic: "Basic base64(id:secret)"
            String decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            }
        }
        if (!auth.clientAllowed(clientId, secret)) {
            return aadError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        }
        if (form.get("scope") == null || form.get("scope").isBlank()) {
            return aadError(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.");
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = "kvd-" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        auth.issued(token);
        ObjectNode out = JsonShapes.MAPPER.createObjectNode();
        out.put("token_type", "Bearer");
        out.put("expires_in", 3600);
        out.put("ext_expires_in", 3600);
        out.put("access_token", token);
        return Reply.ok(out);
    }

    private Reply openIdConfiguration(String tenant) {
        String authority = baseUrl + "/" + tenant;
        ObjectNode out = JsonShapes.MAPPER.createObjectNode();
        out.put("issuer", authority + "/v2.0");
        out.put("token_endpoint", authority + "/oauth2/v2.0/token");
        out.put("authorization_endpoint", authority + "/oauth2/v2.0/authorize");
        out.put("jwks_uri", authority + "/discovery/v2.0/keys");
        out.putArray("response_types_supported").add("code").add("token");
        out.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("client_secret_basic");
        return Reply.ok(out);
    }

    private Reply instanceDiscovery() {
        String host = baseUrl.substring("https://".length());
        ObjectNode out = JsonShapes.MAPPER.createObjectNode();
        out.put("tenant_discovery_endpoint",
                baseUrl + "/" + auth.tenantId() + "/v2.0/.well-known/openid-configuration");
        out.put("api-version", "1.1");
        ArrayNode metadata = out.putArray("metadata");
        ObjectNode entry = metadata.addObject();
        entry.put("preferred_network", host);
        entry.put("preferred_cache", host);
        entry.putArray("aliases").add(host);
        return Reply.ok(out);
    }

    private static Reply aadError(int status, String error, String description) {
        ObjectNode out = JsonShapes.MAPPER.createObjectNode();
        out.put("error", error);
        out.put("error_description", description);
        return new Reply(status, out);
    }

    private static Map<String, String> form(byte[] body) {
        return Router.parseQuery(new String(body, StandardCharsets.UTF_8));
    }
}
