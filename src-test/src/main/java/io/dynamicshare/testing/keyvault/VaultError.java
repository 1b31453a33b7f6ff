package io.dynamicshare.testing.keyvault;

/**
 * An error answer in Key Vault's wire format: HTTP status plus {@code {"error":{"code","message"}}}.
 * Thrown anywhere below the router and turned into a response there, so handlers stay linear.
 */
final class VaultError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final String innerCode;

    VaultError(int status, String code, String message) {
        this(status, code, message, null);
    }

    VaultError(int status, String code, String message, String innerCode) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.innerCode = innerCode;
    }

    static VaultError keyNotFound(String name) {
        return new VaultError(404, "KeyNotFound",
                "A key with (name/id) " + name + " was not found in this key vault. If you recently deleted this key"
                        + " you may be able to recover it using the correct recovery command.");
    }

    static VaultError keyVersionNotFound(String name, String version) {
        return new VaultError(404, "KeyNotFound",
                "A key with (name/id) " + name + "/" + version + " was not found in this key vault.");
    }

    static VaultError badParameter(String message) {
        return new VaultError(400, "BadParameter", message);
    }

    static VaultError disabled(String operation) {
        return new VaultError(403, "Forbidden", "Operation " + operation + " is not allowed on a disabled key.",
                "KeyDisabled");
    }

    static VaultError denied(String operation) {
        return new VaultError(403, "Forbidden",
                "The user, group or application does not have keys " + operation
                        + " permission on this key vault (denied by the test double's permission switch).",
                "ForbiddenByPolicy");
    }

    static VaultError operationNotPermitted(String operation) {
        return new VaultError(403, "Forbidden", "Operation " + operation + " is not permitted on this key.",
                "KeyOperationForbidden");
    }
}
