package io.dynamicshare.store;

/** The common prefix of every per-entry message, so each error names its alias the same way. */
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
}
