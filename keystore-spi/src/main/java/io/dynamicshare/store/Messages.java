package io.dynamicshare.store;

/**
 * The common prefix of every per-entry message, so each error names its alias the same way, and the exceptions
 * that carry it. Shared by every {@link StoreBackend}.
 */
public final class Messages {
    /** Longest alias shown in a message; the rest is elided so an oversized alias cannot flood a log. */
    private static final int SHOWN = 300;

    private Messages() {
    }

    /**
     * {@code alias 'x': }, with control characters, separators and unpaired surrogates escaped as {@code \\uXXXX}
     * (and a backslash as {@code \\\\}): a message names the alias, but never carries a line break into a log.
     */
    public static String alias(String alias) {
        StringBuilder b = new StringBuilder(Math.min(alias.length(), SHOWN) + 12).append("alias '");
        for (int i = 0; i < alias.length() && i < SHOWN; i++) {
            char c = alias.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < alias.length()
                    && Character.isLowSurrogate(alias.charAt(i + 1));
            if (pair) {
                b.append(c).append(alias.charAt(++i));
            } else if (c == '\\') {
                b.append("\\\\");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        if (alias.length() > SHOWN) {
            b.append("...(").append(alias.length()).append(" chars)");
        }
        return b.append("': ").toString();
    }

    /**
     * A KeyStoreException naming the alias once: a cause that already is one (or already names the alias) is not
     * prefixed again, whatever path it came up through.
     */
    public static java.security.KeyStoreException keyStoreException(String alias, Exception cause) {
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof java.security.KeyStoreException
                && (alias == null || prefixed(alias, message).equals(message))) {
            return (java.security.KeyStoreException) cause;
        }
        java.security.KeyStoreException e = new java.security.KeyStoreException(alias == null ? message
                : prefixed(alias, message));
        e.initCause(cause);
        return e;
    }

    public static java.security.UnrecoverableEntryException unrecoverable(String alias, String message,
                                                                          Exception cause) {
        java.security.UnrecoverableEntryException e = new java.security.UnrecoverableEntryException(
                prefixed(alias, message));
        e.initCause(cause);
        return e;
    }

    /** {@code message} with the alias prefix, unless it already starts with it: a message names its alias once. */
    public static String prefixed(String alias, String message) {
        String prefix = alias(alias);
        return message != null && message.startsWith(prefix) ? message : prefix + message;
    }
}
