package io.dynamicshare.config;

import java.security.GeneralSecurityException;

/** The configuration is missing, unreadable or wrong; the message names the key or file. */
public class ConfigException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
