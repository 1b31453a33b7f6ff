package io.dynamicshare.testing.keyvault;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Key Vault keys operations, on already authenticated and validated requests. Every method either returns
 * the success {@link Reply} or throws {@link VaultError}.
 */
final class VaultApi {

    /** Key Vault's page size limit for list operations. */
    static final int MAX_PAGE = 25;

    private final KeyRegistry registry;
    private final String vaultUrl;

    VaultApi(KeyRegistry registry, String vaultUrl) {
        this.registry = registry;
        this.vaultUrl = vaultUrl;
    }

    Reply dispatch(Route r, Map<String, String> query, byte[] body) {
        return switch (r.operation()) {
            case Operation.CREATE_KEY -> create(r.name(), json(body));
            case Operation.GET_KEY -> Reply.ok(JsonShapes.keyBundle(vaultUrl, registry.get(r.name(), r.version())));
            case Operation.LIST_KEYS -> listKeys(query);
            case Operation.LIST_KEY_VERSIONS -> listVersions(r.name(), query);
            case Operation.UPDATE_KEY -> update(r.name(), r.version(), json(body));
            case Operation.DELETE_KEY ->
                    Reply.ok(JsonShapes.deletedKeyBundle(vaultUrl, registry.delete(r.name())));
            case Operation.GET_DELETED_KEY ->
                    Reply.ok(JsonShapes.deletedKeyBundle(vaultUrl, registry.deleted(r.name())));
            case Operation.PURGE_DELETED_KEY -> {
                registry.purge(r.name());
                yield new Reply(204, null);
            }
            case Operation.WRAP_KEY -> crypt(r, json(body), true);
            case Operation.UNWRAP_KEY -> crypt(r, json(body), false);
            case Operation.SIGN -> sign(r, json(body));
            case Operation.VERIFY -> verify(r, json(body));
            default -> throw new IllegalStateException("not a vault operation: " + r.operation());
        };
    }

    private Reply create(String name, JsonNode req) {
        String kty = text(req, "kty");
        if (kty == null) {
            throw VaultError.badParameter("Property kty is required.");
        }
        JsonNode pubExp = req.get("public_exponent");
        // The SDK sends 0 when the caller did not choose an exponent; the service then uses 65537.
        if (pubExp != null && !pubExp.isNull() && pubExp.asLong() != 0 && pubExp.asLong() != 65537) {
            throw VaultError.badParameter("Only the public exponent 65537 is supported.");
        }
        JsonNode attrs = req.path("attributes");
        KeyRegistry.CreateSpec spec = new KeyRegistry.CreateSpec(kty, intOrNull(req, "key_size"), ops(req),
                boolOrNull(attrs, "enabled"), tags(req), longOrNull(attrs, "nbf"), longOrNull(attrs, "exp"));
        KeyVersion v = registry.create(name, spec);
        return Reply.ok(JsonShapes.keyBundle(vaultUrl, v));
    }

    private Reply update(String name, String version, JsonNode req) {
        KeyVersion v = registry.get(name, version);
        JsonNode attrs = req.path("attributes");
        v.update(boolOrNull(attrs, "enabled"), longOrNull(attrs, "nbf"), longOrNull(attrs, "exp"), ops(req),
                tags(req), System.currentTimeMillis() / 1000);
        return Reply.ok(JsonShapes.keyBundle(vaultUrl, v));
    }

    private Reply crypt(Route r, JsonNode req, boolean wrap) {
        KeyVersion v = usable(r, wrap ? Operation.WRAP_KEY : Operation.UNWRAP_KEY);
        byte[] input = JsonShapes.fromB64url(text(req, "value"), "value");
        String alg = text(req, "alg");
        byte[] out = wrap ? KeyCrypto.wrap(v, alg, input) : KeyCrypto.unwrap(v, alg, input);
        return Reply.ok(JsonShapes.operationResult(JsonShapes.kid(vaultUrl, v), out));
    }

    private Reply sign(Route r, JsonNode req) {
        KeyVersion v = usable(r, Operation.SIGN);
        byte[] digest = JsonShapes.fromB64url(text(req, "value"), "value");
        byte[] signature = KeySigning.sign(v, text(req, "alg"), digest);
        return Reply.ok(JsonShapes.operationResult(JsonShapes.kid(vaultUrl, v), signature));
    }

    private Reply verify(Route r, JsonNode req) {
        KeyVersion v = usable(r, Operation.VERIFY);
        byte[] digest = JsonShapes.fromB64url(text(req, "digest"), "digest");
        byte[] signature = JsonShapes.fromB64url(text(req, "value"), "value");
        return Reply.ok(JsonShapes.verifyResult(KeySigning.verify(v, text(req, "alg"), digest, signature)));
    }

    /** The addressed version, if it is enabled and its key_ops allow {@code op} (the names coincide). */
    private KeyVersion usable(Route r, String op) {
        KeyVersion v = registry.get(r.name(), r.version());
        if (!v.enabled()) {
            throw VaultError.disabled(op);
        }
        if (!v.snapshot().keyOps().contains(op)) {
            throw VaultError.operationNotPermitted(op);
        }
        return v;
    }

    private Reply listKeys(Map<String, String> query) {
        List<ObjectNode> items = new ArrayList<>();
        for (KeyVersion v : registry.latestOfEach()) {
            items.add(JsonShapes.keyItem(vaultUrl, v, false));
        }
        return page(items, "/keys", query);
    }

    private Reply listVersions(String name, Map<String, String> query) {
        List<ObjectNode> items = new ArrayList<>();
        for (KeyVersion v : registry.versions(name)) {
            items.add(JsonShapes.keyItem(vaultUrl, v, true));
        }
        return page(items, "/keys/" + name + "/versions", query);
    }

    /** Offset paging: {@code $skiptoken} is the index of the first item, {@code maxresults} the page size. */
    private Reply page(List<ObjectNode> all, String path, Map<String, String> query) {
        int size = MAX_PAGE;
        String max = query.get("maxresults");
        if (max != null) {
            size = parseInt(max, "maxresults");
            if (size < 1 || size > MAX_PAGE) {
                throw VaultError.badParameter("maxresults must be between 1 and " + MAX_PAGE + ".");
            }
        }
        String skip = query.get("$skiptoken");
        int from = skip == null ? 0 : parseInt(skip, "$skiptoken");
        if (from < 0 || from > all.size()) {
            throw VaultError.badParameter("Invalid $skiptoken.");
        }
        int to = Math.min(all.size(), from + size);
        String next = null;
        if (to < all.size()) {
            next = vaultUrl + path + "?api-version=" + query.get("api-version") + "&$skiptoken=" + to
                    + (max != null ? "&maxresults=" + size : "");
        }
        return Reply.ok(JsonShapes.page(all.subList(from, to), next));
    }

    // ---- request body helpers ----

    private static JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw VaultError.badParameter("The request body is required.");
        }
        try {
            JsonNode node = JsonShapes.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw VaultError.badParameter("The request body must be a JSON object.");
            }
            return node;
        } catch (IOException e) {
            throw VaultError.badParameter("The request body is not valid JSON.");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw VaultError.badParameter("Property " + field + " must be a string.");
        }
        return v.asText();
    }

    private static Integer intOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt()) {
            throw VaultError.badParameter("Property " + field + " must be an integer.");
        }
        return v.asInt();
    }

    private static Long longOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToLong()) {
            throw VaultError.badParameter("Property " + field + " must be a Unix timestamp.");
        }
        return v.asLong();
    }

    private static Boolean boolOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw VaultError.badParameter("Property " + field + " must be a boolean.");
        }
        return v.asBoolean();
    }

    private static List<String> ops(JsonNode n) {
        JsonNode v = n.get("key_ops");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw VaultError.badParameter("Property key_ops must be an array.");
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static Map<String, String> tags(JsonNode n) {
        JsonNode v = n.get("tags");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw VaultError.badParameter("Property tags must be an object.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static int parseInt(String s, String field) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw VaultError.badParameter("Invalid " + field + ": " + s);
        }
    }
}
