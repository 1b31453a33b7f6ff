package io.dynamicshare.testing.keyvault;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authentication behaviour of a {@link KeyVaultTestDouble}; every setter may be called at any time, from any
 * thread.
 *
 * <p>Requests without {@code Authorization: Bearer <token>} get the Key Vault challenge:
 * <pre>
 * HTTP/1.1 401
 * WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/{tenant}", resource="https://vault.azure.net"
 * </pre>
 * The SDK's {@code KeyVaultCredentialPolicy} takes the tenant from the first path segment of
 * {@code authorization} and asks its credential for scope {@code resource + "/.default"}. Because the SDK
 * only accepts a resource whose host is a parent domain of the vault host (never true for 127.0.0.1), clients
 * must call {@code disableChallengeResourceVerification()} whichever resource is advertised.
 *
 * <pre>{@code
 * vault.auth().acceptTokens("good-token");      // anything else -> 401
 * vault.auth().advertiseOwnResource(true);      // resource="https://127.0.0.1:PORT"
 * vault.auth().clientCredentials("app-id", "s3cret");
 * }</pre>
 */
public final class AuthSettings {

    /** Tenant advertised by default (a fixed, obviously fake GUID). */
    public static final String DEFAULT_TENANT_ID = "00000000-0000-4000-8000-000000000001";
    /** Resource advertised by default, as the public-cloud Key Vault does. */
    public static final String DEFAULT_RESOURCE = "https://vault.azure.net";
    /** Authority host advertised by default. */
    public static final String DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

    /** The App Service managed-identity secret ({@code IDENTITY_HEADER}) accepted by default. */
    public static final String DEFAULT_IDENTITY_HEADER = "kvd-identity-header";

    private final String vaultUrl;
    private volatile String identityHeader = DEFAULT_IDENTITY_HEADER;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private volatile Set<String> accepted = Set.of();
    private volatile String tenantId = DEFAULT_TENANT_ID;
    private volatile boolean ownResource;
    private volatile boolean ownAuthority;
    private volatile String clientId;
    private volatile String clientSecret;

    AuthSettings(String vaultUrl) {
        this.vaultUrl = vaultUrl;
    }

    /** Sets the tenant advertised in the challenge (and expected on the token endpoint path). */
    public AuthSettings tenantId(String tenant) {
        if (tenant == null || tenant.isBlank() || tenant.contains("/")) {
            throw new IllegalArgumentException("invalid tenant id");
        }
        this.tenantId = tenant;
        return this;
    }

    public String tenantId() {
        return tenantId;
    }

    /** {@code true}: advertise {@code resource="<vaultUrl>"}; {@code false} (default): {@value #DEFAULT_RESOURCE}. */
    public AuthSettings advertiseOwnResource(boolean own) {
        this.ownResource = own;
        return this;
    }

    /**
     * {@code true}: advertise {@code authorization="<vaultUrl>/<tenant>"} (pointing at the emulated token
     * endpoint); {@code false} (default): {@value #DEFAULT_AUTHORITY_HOST}{@code /<tenant>}. The Java SDK only
     * reads the tenant from this value, so it is informational for Java clients.
     */
    public AuthSettings advertiseOwnAuthority(boolean own) {
        this.ownAuthority = own;
        return this;
    }

    /** Only these bearer tokens (plus tokens issued by the emulated token endpoint) are accepted. */
    public AuthSettings acceptTokens(String... tokens) {
        this.accepted = Set.of(tokens);
        return this;
    }

    /** Default: any non-empty bearer token is accepted. */
    public AuthSettings acceptAnyToken() {
        this.accepted = Set.of();
        return this;
    }

    /** Restricts the emulated token endpoint to one client id / secret pair (default: any pair). */
    public AuthSettings clientCredentials(String id, String secret) {
        this.clientId = id;
        this.clientSecret = secret;
        return this;
    }

    /**
     * The secret the emulated App Service managed-identity endpoint ({@code GET /msi/token}) expects in
     * {@code X-IDENTITY-HEADER}: what a process gets in {@code IDENTITY_HEADER}. Default
     * {@value #DEFAULT_IDENTITY_HEADER}.
     */
    public AuthSettings identityHeader(String secret) {
        this.identityHeader = secret;
        return this;
    }

    public String identityHeader() {
        return identityHeader;
    }

    /** The resource currently advertised in the challenge. */
    public String resource() {
        return ownResource ? vaultUrl : DEFAULT_RESOURCE;
    }

    /** The exact {@code WWW-Authenticate} value sent with 401 answers. */
    public String challengeHeader() {
        String authority = (ownAuthority ? vaultUrl : DEFAULT_AUTHORITY_HOST) + "/" + tenantId;
        return "Bearer authorization=\"" + authority + "\", resource=\"" + resource() + "\"";
    }

    // ---- used by the router / token endpoint ----

    boolean isAccepted(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        Set<String> allow = accepted;
        return allow.isEmpty() || allow.contains(token) || issued.contains(token);
    }

    boolean clientAllowed(String id, String secret) {
        String expectedId = clientId;
        if (expectedId == null) {
            return id != null && !id.isEmpty() && secret != null && !secret.isEmpty();
        }
        return expectedId.equals(id) && clientSecret != null && clientSecret.equals(secret);
    }

    boolean identityHeaderAllowed(String header) {
        String expected = identityHeader;
        return expected != null && expected.equals(header);
    }

    void issued(String token) {
        issued.add(token);
    }
}
