package io.dynamicshare.testing.keyvault;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps method + path to an operation. Empty path segments are ignored on purpose: the SDK builds
 * {@code /keys/{name}/{version}/wrapkey} (likewise {@code sign}, {@code verify}) with an empty version for
 * version-less clients, i.e. {@code /keys/name//wrapkey}, and {@code /keys/name/} for "latest"; both mean
 * "newest version" in Key Vault.
 *
 * @param operation one of {@link Operation}'s names
 * @param name      key name or tenant, may be null
 * @param version   key version, null for "newest"
 * @param aad       true for the emulated AAD endpoints (no bearer challenge, no api-version)
 */
record Route(String operation, String name, String version, boolean aad) {

    /** Thrown for a known path with an unsupported method. */
    static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MethodNotAllowed() {
            super(null, null, false, false);
        }
    }

    /** Returns the route, or {@code null} if no endpoint has this path. */
    static Route parse(String method, String rawPath) {
        List<String> s = new ArrayList<>();
        for (String part : rawPath.split("/")) {
            if (!part.isEmpty()) {
                s.add(part);
            }
        }
        String m = method.toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            return null;
        }
        String head = s.get(0).toLowerCase(Locale.ROOT);
        if (head.equals("keys")) {
            return keys(m, s);
        }
        if (head.equals("deletedkeys") && s.size() == 2) {
            return switch (m) {
                case "GET" -> new Route(Operation.GET_DELETED_KEY, s.get(1), null, false);
                case "DELETE" -> new Route(Operation.PURGE_DELETED_KEY, s.get(1), null, false);
                default -> throw new MethodNotAllowed();
            };
        }
        return aad(m, s);
    }

    private static Route keys(String m, List<String> s) {
        int n = s.size();
        if (n == 1) {
            return only(m, "GET", new Route(Operation.LIST_KEYS, null, null, false));
        }
        String name = s.get(1);
        if (n == 2) {
            return switch (m) {
                case "GET" -> new Route(Operation.GET_KEY, name, null, false);
                case "PATCH" -> new Route(Operation.UPDATE_KEY, name, null, false);
                case "DELETE" -> new Route(Operation.DELETE_KEY, name, null, false);
                default -> throw new MethodNotAllowed();
            };
        }
        String third = s.get(2);
        String action = third.toLowerCase(Locale.ROOT);
        if (n == 3) {
            switch (action) {
                case "create":
                    return only(m, "POST", new Route(Operation.CREATE_KEY, name, null, false));
                case "versions":
                    return only(m, "GET", new Route(Operation.LIST_KEY_VERSIONS, name, null, false));
                case "wrapkey":
                    return only(m, "POST", new Route(Operation.WRAP_KEY, name, null, false));
                case "unwrapkey":
                    return only(m, "POST", new Route(Operation.UNWRAP_KEY, name, null, false));
                case "sign":
                    return only(m, "POST", new Route(Operation.SIGN, name, null, false));
                case "verify":
                    return only(m, "POST", new Route(Operation.VERIFY, name, null, false));
                default:
                    return switch (m) {
                        case "GET" -> new Route(Operation.GET_KEY, name, third, false);
                        case "PATCH" -> new Route(Operation.UPDATE_KEY, name, third, false);
                        default -> throw new MethodNotAllowed();
                    };
            }
        }
        if (n == 4) {
            switch (s.get(3).toLowerCase(Locale.ROOT)) {
                case "wrapkey":
                    return only(m, "POST", new Route(Operation.WRAP_KEY, name, third, false));
                case "unwrapkey":
                    return only(m, "POST", new Route(Operation.UNWRAP_KEY, name, third, false));
                case "sign":
                    return only(m, "POST", new Route(Operation.SIGN, name, third, false));
                case "verify":
                    return only(m, "POST", new Route(Operation.VERIFY, name, third, false));
                default:
                    return null;
            }
        }
        return null;
    }

    private static Route aad(String m, List<String> s) {
        int n = s.size();
        // GET /msi/token (App Service managed identity: IDENTITY_ENDPOINT / IDENTITY_HEADER)
        if (n == 2 && s.get(0).equals("msi") && s.get(1).equals("token")) {
            return only(m, "GET", new Route(Operation.MANAGED_IDENTITY_TOKEN, null, "app-service", true));
        }
        // GET /metadata/identity/oauth2/token (IMDS: AZURE_POD_IDENTITY_AUTHORITY_HOST)
        if (n == 4 && s.get(0).equals("metadata") && s.get(1).equals("identity") && s.get(2).equals("oauth2")
                && s.get(3).equals("token")) {
            return only(m, "GET", new Route(Operation.MANAGED_IDENTITY_TOKEN, null, "imds", true));
        }
        // POST /{tenant}/oauth2/v2.0/token
        if (n == 4 && s.get(1).equals("oauth2") && s.get(2).equals("v2.0") && s.get(3).equals("token")) {
            return only(m, "POST", new Route(Operation.TOKEN, s.get(0), null, true));
        }
        // GET /{tenant}/v2.0/.well-known/openid-configuration
        if (n == 4 && s.get(1).equals("v2.0") && s.get(2).equals(".well-known")
                && s.get(3).equals("openid-configuration")) {
            return only(m, "GET", new Route(Operation.DISCOVERY, s.get(0), "openid", true));
        }
        // GET /common/discovery/instance (AAD instance discovery)
        if (n == 3 && s.get(1).equals("discovery") && s.get(2).equals("instance")) {
            return only(m, "GET", new Route(Operation.DISCOVERY, s.get(0), "instance", true));
        }
        return null;
    }

    private static Route only(String method, String expected, Route route) {
        if (!method.equals(expected)) {
            throw new MethodNotAllowed();
        }
        return route;
    }
}
