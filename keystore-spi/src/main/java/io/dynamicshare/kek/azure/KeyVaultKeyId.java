package io.dynamicshare.kek.azure;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A Key Vault (or Managed HSM) key identifier, {@code https://<vault>/keys/<name>[/<version>]}, split into
 * its parts.
 */
final class KeyVaultKeyId {
    final String vaultUrl;
    final String name;
    /** Null when the identifier names the key, not a version. */
    final String version;

    private KeyVaultKeyId(String vaultUrl, String name, String version) {
        this.vaultUrl = vaultUrl;
        this.name = name;
        this.version = version;
    }

    static KeyVaultKeyId parse(String id) {
        URI uri;
        try {
            uri = new URI(id);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a Key Vault key identifier: " + id, e);
        }
        String[] parts = uri.getPath() == null ? new String[0] : uri.getPath().split("/");
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || parts.length < 3 || parts.length > 4
                || !parts[0].isEmpty() || !"keys".equals(parts[1]) || parts[2].isEmpty()
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("not a Key Vault key identifier (https://<vault>/keys/<name>[/<version>]): "
                    + id);
        }
        String vault = "https://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        KeyVaultKeyId parsed = new KeyVaultKeyId(vault, parts[2], parts.length == 4 && !parts[3].isEmpty() ? parts[3] : null);
        // Only the canonical spelling is accepted (no user info, escapes, dot segments, trailing slash): ids are
        // compared as strings by the KEK policy, so two spellings of one key would read as two keys.
        String canonical = parsed.version == null ? parsed.keyName() : parsed.withVersion(parsed.version);
        if (!canonical.equals(id) || !parsed.name.matches("[0-9A-Za-z-]{1,127}")
                || (parsed.version != null && !parsed.version.matches("[0-9A-Za-z]{1,64}"))) {
            throw new IllegalArgumentException("not a canonical Key Vault key identifier: " + id + " (write it as "
                    + canonical + ", with a key name of letters, digits and '-')");
        }
        return parsed;
    }

    /** The versionless identifier. */
    String keyName() {
        return vaultUrl + "/keys/" + name;
    }

    String withVersion(String v) {
        return keyName() + "/" + v;
    }
}
