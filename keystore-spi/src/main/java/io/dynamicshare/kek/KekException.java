package io.dynamicshare.kek;

import java.security.GeneralSecurityException;

/**
 * A key service refused or failed a wrap or unwrap. The message names the KEK and, where the service
 * gave one, its error code; it never carries key material.
 */
public class KekException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    private final String kekId;
    private final String errorCode;

    public KekException(String kekId, String errorCode, String message, Throwable cause) {
        super(message(kekId, errorCode, message), cause);
        this.kekId = kekId;
        this.errorCode = errorCode;
    }

    public KekException(String kekId, String message) {
        this(kekId, null, message, null);
    }

    private static String message(String kekId, String errorCode, String message) {
        StringBuilder b = new StringBuilder(message);
        b.append(" (KEK ").append(kekId);
        if (errorCode != null) {
            b.append(", error ").append(errorCode);
        }
        return b.append(')').toString();
    }

    /** The KEK (key or key version) the operation addressed. */
    public String kekId() {
        return kekId;
    }

    /** The key service's error code (e.g. Key Vault's {@code KeyNotFound}), or null. */
    public String errorCode() {
        return errorCode;
    }
}
