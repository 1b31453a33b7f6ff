package io.dynamicshare.testing.keyvault;

import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the wire JSON of the Key Vault keys API (KeyBundle, KeyItem, DeletedKeyBundle, KeyOperationResult,
 * KeyVerifyResult, error). Field names follow the REST specification (snake_case inside {@code key}, camelCase in
 * {@code attributes}); timestamps are Unix seconds.
 */
final class JsonShapes {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private JsonShapes() {
    }

    static String kid(String vaultUrl, KeyVersion v) {
        return vaultUrl + "/keys/" + v.name + "/" + v.version;
    }

    static String b64url(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }

    /** Decodes base64url, tolerating padding and standard-alphabet characters as the service does. */
    static byte[] fromB64url(String value, String field) {
        if (value == null) {
            throw VaultError.badParameter("Property " + field + " is required.");
        }
        try {
            String normalized = value.trim().replace('+', '-').replace('/', '_').replace("=", "");
            return Base64.getUrlDecoder().decode(normalized);
        } catch (IllegalArgumentException e) {
            throw VaultError.badParameter("Property " + field + " is not valid base64url.");
        }
    }

    /** Big-endian unsigned magnitude, as JWK requires (no sign byte). */
    static String unsigned(BigInteger i) {
        byte[] b = i.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        return b64url(b);
    }

    static ObjectNode keyBundle(String vaultUrl, KeyVersion v) {
        KeyVersion.Snapshot s = v.snapshot();
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode key = root.putObject("key");
        key.put("kid", kid(vaultUrl, v));
        key.put("kty", v.kty);
        ArrayNode ops = key.putArray("key_ops");
        s.keyOps().forEach(ops::add);
        if (v.isRsa()) {
            RSAPublicKey pub = v.rsaPublic();
            key.put("n", unsigned(pub.getModulus()));
            key.put("e", unsigned(pub.getPublicExponent()));
        }
        // oct-HSM: no key material, an HSM-protected secret key is never released.
        root.set("attributes", attributes(s, v.created));
        putTags(root, s.tags());
        return root;
    }

    static ObjectNode keyItem(String vaultUrl, KeyVersion v, boolean withVersion) {
        KeyVersion.Snapshot s = v.snapshot();
        ObjectNode item = MAPPER.createObjectNode();
        item.put("kid", withVersion ? kid(vaultUrl, v) : vaultUrl + "/keys/" + v.name);
        item.set("attributes", attributes(s, v.created));
        putTags(item, s.tags());
        return item;
    }

    static ObjectNode deletedKeyBundle(String vaultUrl, KeyRegistry.Deleted d) {
        ObjectNode root = keyBundle(vaultUrl, d.entry().latest());
        root.put("recoveryId", vaultUrl + "/deletedkeys/" + d.entry().name);
        root.put("deletedDate", d.deletedDate());
        root.put("scheduledPurgeDate", d.scheduledPurgeDate());
        return root;
    }

    static ObjectNode page(List<ObjectNode> items, String nextLink) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode value = root.putArray("value");
        items.forEach(value::add);
        if (nextLink == null) {
            root.putNull("nextLink");
        } else {
            root.put("nextLink", nextLink);
        }
        return root;
    }

    static ObjectNode operationResult(String kid, byte[] value) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("kid", kid);
        root.put("value", b64url(value));
        return root;
    }

    /** KeyVerifyResult: only the boolean, no kid. */
    static ObjectNode verifyResult(boolean valid) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("value", valid);
        return root;
    }

    static ObjectNode error(String code, String message, String innerCode) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("code", code);
        err.put("message", message);
        if (innerCode != null) {
            err.putObject("innererror").put("code", innerCode);
        }
        return root;
    }

    private static ObjectNode attributes(KeyVersion.Snapshot s, long created) {
        ObjectNode a = MAPPER.createObjectNode();
        a.put("enabled", s.enabled());
        if (s.notBefore() != null) {
            a.put("nbf", s.notBefore());
        }
        if (s.expires() != null) {
            a.put("exp", s.expires());
        }
        a.put("created", created);
        a.put("updated", s.updated());
        a.put("recoveryLevel", "Recoverable+Purgeable");
        a.put("recoverableDays", 90);
        a.put("exportable", false);
        return a;
    }

    private static void putTags(ObjectNode target, Map<String, String> tags) {
        if (tags != null && !tags.isEmpty()) {
            ObjectNode t = target.putObject("tags");
            tags.forEach(t::put);
        }
    }
}
