package io.dynamicshare.envelope;

import java.security.GeneralSecurityException;

/** An entry is not a well-formed envelope of this format, or it does not open: it was altered or moved. */
public class EnvelopeException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public EnvelopeException(String message) {
        super(message);
    }

    public EnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }
}
