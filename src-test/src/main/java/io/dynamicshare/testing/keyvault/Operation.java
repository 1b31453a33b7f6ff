package io.dynamicshare.testing.keyvault;

/**
 * Operation names used by the counters, the fault filters and the permission switch. They follow the names of
 * the Key Vault REST operations (and of the {@code keys/...} permissions).
 *
 * <pre>{@code
 * assertEquals(1, vault.calls(Operation.UNWRAP_KEY));
 * vault.faults().throttleNext(2, 1, Operation.WRAP_KEY);
 * }</pre>
 */
public final class Operation {

    /** {@code POST /keys/{name}/create}. */
    public static final String CREATE_KEY = "createKey";
    /** {@code GET /keys/{name}[/{version}]}. */
    public static final String GET_KEY = "getKey";
    /** {@code GET /keys}. */
    public static final String LIST_KEYS = "listKeys";
    /** {@code GET /keys/{name}/versions}. */
    public static final String LIST_KEY_VERSIONS = "listKeyVersions";
    /** {@code PATCH /keys/{name}[/{version}]}. */
    public static final String UPDATE_KEY = "updateKey";
    /** {@code DELETE /keys/{name}}. */
    public static final String DELETE_KEY = "deleteKey";
    /** {@code GET /deletedkeys/{name}}. */
    public static final String GET_DELETED_KEY = "getDeletedKey";
    /** {@code DELETE /deletedkeys/{name}}. */
    public static final String PURGE_DELETED_KEY = "purgeDeletedKey";
    /** {@code POST /keys/{name}[/{version}]/wrapkey}. */
    public static final String WRAP_KEY = "wrapKey";
    /** {@code POST /keys/{name}[/{version}]/unwrapkey}. */
    public static final String UNWRAP_KEY = "unwrapKey";
    /** {@code POST /keys/{name}[/{version}]/sign}. */
    public static final String SIGN = "sign";
    /** {@code POST /keys/{name}[/{version}]/verify}. */
    public static final String VERIFY = "verify";
    /** {@code POST /{tenant}/oauth2/v2.0/token} (AAD emulation). */
    public static final String TOKEN = "token";
    /**
     * {@code GET /msi/token} (App Service managed identity, {@code X-IDENTITY-HEADER}) or
     * {@code GET /metadata/identity/oauth2/token} (IMDS, {@code Metadata: true}).
     */
    public static final String MANAGED_IDENTITY_TOKEN = "managedIdentityToken";
    /** AAD / OIDC discovery documents (AAD emulation). */
    public static final String DISCOVERY = "discovery";

    private Operation() {
    }
}
