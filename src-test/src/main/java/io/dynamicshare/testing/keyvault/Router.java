package io.dynamicshare.testing.keyvault;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The single HTTP handler. Order of checks, chosen to match what the SDK observes from the real service:
 * <ol>
 *   <li>route (unknown path: 404, wrong method: 405) and count the call;</li>
 *   <li>added latency;</li>
 *   <li>bearer challenge (401 + {@code WWW-Authenticate}) before anything reads the body: the SDK sends its first
 *       request without a body and without a token;</li>
 *   <li>{@code api-version} (400 {@code BadParameter});</li>
 *   <li>armed faults (drop / 429 / 5xx), then the permission switch (403);</li>
 *   <li>the operation itself.</li>
 * </ol>
 * AAD emulation routes skip the challenge and the api-version check.
 */
final class Router implements HttpHandler {

    /** Versions the azure-security-keyvault-keys 4.12.x {@code KeyServiceVersion} enum can send. */
    static final List<String> API_VERSIONS =
            List.of("7.0", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "2025-07-01");

    /** Thrown to make the JDK server close the connection without writing any response. */
    static final class DropConnection extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DropConnection() {
            super("fault injection: connection dropped", null, false, false);
        }
    }

    private final VaultApi api;
    private final TokenEndpoint tokens;
    private final AuthSettings auth;
    private final Faults faults;
    private final CallCounters counters;

    Router(VaultApi api, TokenEndpoint tokens, AuthSettings auth, Faults faults, CallCounters counters) {
        this.api = api;
        this.tokens = tokens;
        this.auth = auth;
        this.faults = faults;
        this.counters = counters;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        Reply reply;
        String operation = null;
        try {
            Route route;
            try {
                route = Route.parse(ex.getRequestMethod(), ex.getRequestURI().getRawPath());
            } catch (Route.MethodNotAllowed e) {
                Reply.error(new VaultError(405, "MethodNotAllowed",
                        "The requested resource does not support http method '" + ex.getRequestMethod() + "'."))
                        .send(ex);
                return;
            }
            if (route == null) {
                Reply.error(new VaultError(404, "NotFound", "The requested URL was not found on this server."))
                        .send(ex);
                return;
            }
            operation = route.operation();
            counters.called(operation);
            faults.applyLatency();
            reply = process(route, ex);
        } catch (VaultError e) {
            reply = Reply.error(e);
        } catch (DropConnection e) {
            // Propagates to the JDK server, which closes the socket without writing a response.
            throw e;
        } catch (RuntimeException e) {
            // A bug in the double must not look like a vault answer the SDK could misinterpret as success.
            reply = Reply.error(new VaultError(500, "InternalServerError", "Test double failure: " + e));
        }
        if (reply.isSuccess() && operation != null) {
            counters.succeeded(operation);
        }
        reply.send(ex);
    }

    private Reply process(Route route, HttpExchange ex) throws IOException {
        Map<String, String> query = parseQuery(ex.getRequestURI().getRawQuery());
        if (!route.aad()) {
            Reply challenge = checkBearer(ex.getRequestHeaders().getFirst("Authorization"));
            if (challenge != null) {
                return challenge;
            }
            String apiVersion = query.get("api-version");
            if (apiVersion == null || !API_VERSIONS.contains(apiVersion)) {
                throw VaultError.badParameter(apiVersion == null
                        ? "The api-version query parameter (?api-version=) is required for all requests."
                        : "The specified version (" + apiVersion + ") is not recognized. Consider using the"
                                + " latest supported version (" + API_VERSIONS.get(API_VERSIONS.size() - 1) + ").");
            }
        }
        Faults.Armed fault = faults.next(route.operation());
        if (fault != null) {
            return injected(fault);
        }
        if (!route.aad() && faults.isDenied(route.name(), route.operation())) {
            throw VaultError.denied(route.operation());
        }
        byte[] body = readBody(ex);
        if (route.aad()) {
            return tokens.dispatch(route, body, ex.getRequestHeaders(), query);
        }
        return api.dispatch(route, query, body);
    }

    /** Returns the 401 challenge reply, or {@code null} if the request carries an accepted bearer token. */
    private Reply checkBearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            counters.challenged();
            return Reply.error(new VaultError(401, "Unauthorized",
                    "AKV10000: Request is missing a Bearer or PoP token."))
                    .header("WWW-Authenticate", auth.challengeHeader());
        }
        String token = header.substring(7).trim();
        if (!auth.isAccepted(token)) {
            // Never echo the token: test logs must not carry credential material.
            return Reply.error(new VaultError(401, "Unauthorized", "AKV10032: Invalid issuer or token."))
                    .header("WWW-Authenticate", auth.challengeHeader());
        }
        return null;
    }

    private static Reply injected(Faults.Armed fault) {
        switch (fault.kind) {
            case DROP:
                throw new DropConnection();
            case THROTTLE:
                return Reply.error(new VaultError(429, "Throttled",
                        "Request was not processed because too many requests were received."
                                + " Reason: VaultRequestTypeLimitReached"))
                        .header("Retry-After", Integer.toString(fault.retryAfterSeconds));
            default:
                String code = fault.status == 503 ? "ServiceUnavailable" : "InternalServerError";
                return Reply.error(new VaultError(fault.status, code,
                        "Injected failure (test double fault injection)."));
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    /** Parses {@code a=b&c=d} (URL-encoded); the first occurrence of a name wins. */
    static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }
}
