package io.dynamicshare.envelope;

import java.security.GeneralSecurityException;

/** A recipient unwrapped to a key other than the one the entry or store key block commits to. */
public final class KeyCommitmentException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public KeyCommitmentException(String message) {
        super(message);
    }
}
