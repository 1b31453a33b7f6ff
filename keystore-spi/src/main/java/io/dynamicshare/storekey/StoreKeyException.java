package io.dynamicshare.storekey;

import java.security.GeneralSecurityException;

/**
 * A store key block that does not hold: unsigned where a signature is required, a bad signature, a key wrapped
 * for another purpose, store or epoch, or recipients that do not unwrap to the committed key. The store that
 * carries it is not to be trusted.
 */
public final class StoreKeyException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public StoreKeyException(String message) {
        super(message);
    }

    public StoreKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
