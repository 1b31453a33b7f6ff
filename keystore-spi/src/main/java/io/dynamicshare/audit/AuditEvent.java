package io.dynamicshare.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited KeyStore operation. Holds no secret by construction: there is no field that could hold
 * share bytes or key material.
 */
public final class AuditEvent {
    /** What was done. */
    public enum Operation { LOAD, STORE, GET, SET, DELETE, REWRAP, REKEY, ROTATE_BRANCH_KEY }

    /** How it ended. */
    public enum Outcome { SUCCESS, FAILURE, NOT_FOUND }

    private final Instant time;
    private final String actor;
    private final Operation operation;
    private final String alias;
    private final String kekId;
    private final Outcome outcome;
    private final String detail;

    public AuditEvent(Instant time, String actor, Operation operation, String alias, String kekId, Outcome outcome,
                      String detail) {
        this.time = Objects.requireNonNull(time, "time");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.alias = alias;
        this.kekId = kekId;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.detail = detail;
    }

    public Instant time() {
        return time;
    }

    /** Subject principals when the caller runs as a Subject, else the configured application identity. */
    public String actor() {
        return actor;
    }

    public Operation operation() {
        return operation;
    }

    /** The alias, or null for whole-store operations. */
    public String alias() {
        return alias;
    }

    /** The KEK version(s) involved, or null. */
    public String kekId() {
        return kekId;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** A failure's message, or counters; never secret. May be null. */
    public String detail() {
        return detail;
    }

    /**
     * One line of {@code key=value} fields: {@code time=... actor=... op=GET alias=... kek=... outcome=SUCCESS
     * detail=...}, alias, kek and detail only when present. Every value is rendered so that no input can end the
     * line or forge a field:
     * <ul>
     *   <li>a value made only of printable characters other than space, {@code "}, {@code \} and {@code =}
     *       is written bare (aliases, KEK ids and actors usually are);</li>
     *   <li>any other value, and the empty string, is written in double quotes, with {@code \"}, {@code \\},
     *       {@code \n}, {@code \r}, {@code \t}, and <code>&#92;uXXXX</code> for every other character that is not
     *       printable: C0 and C1 controls, DEL, format characters (bidi overrides, zero-width characters, BOM),
     *       line and paragraph separators, non-ASCII spaces, unassigned and private-use code points, and
     *       unpaired surrogates (a supplementary character that needs escaping becomes its two
     *       <code>&#92;uXXXX</code> surrogates).</li>
     * </ul>
     * So a line never holds a raw control or line-breaking character, and splitting it on spaces outside
     * quotes, then unescaping, gives back exactly the event's values.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(160);
        b.append("time=");
        appendValue(b, time.toString());
        b.append(" actor=");
        appendValue(b, actor);
        b.append(" op=").append(operation.name());
        if (alias != null) {
            b.append(" alias=");
            appendValue(b, alias);
        }
        if (kekId != null) {
            b.append(" kek=");
            appendValue(b, kekId);
        }
        b.append(" outcome=").append(outcome.name());
        if (detail != null) {
            b.append(" detail=");
            appendValue(b, detail);
        }
        return b.toString();
    }

    /** Appends {@code v} bare when that is unambiguous, else quoted and escaped; see {@link #toString()}. */
    static void appendValue(StringBuilder b, String v) {
        if (isBare(v)) {
            b.append(v);
            return;
        }
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c == ' ' || (c > ' ' && c < 0x7f)) {
                        b.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < v.length()
                            && Character.isLowSurrogate(v.charAt(i + 1))) {
                        char low = v.charAt(++i);
                        if (isPrintable(Character.toCodePoint(c, low))) {
                            b.append(c).append(low);
                        } else {
                            escape(b, c);
                            escape(b, low);
                        }
                    } else if (!Character.isSurrogate(c) && isPrintable(c)) {
                        b.append(c);
                    } else {
                        escape(b, c);
                    }
            }
        }
        b.append('"');
    }

    /** Non-empty, and nothing in it that needs quotes or escapes. Plain ASCII is decided without a type lookup. */
    private static boolean isBare(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c > ' ' && c < 0x7f) {
                if (c == '"' || c == '\\' || c == '=') {
                    return false;
                }
            } else if (c < 0x80) {
                return false; // C0, space, DEL
            } else if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                if (!isPrintable(Character.toCodePoint(c, v.charAt(++i)))) {
                    return false;
                }
            } else if (Character.isSurrogate(c) || !isPrintable(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a non-ASCII code point may appear raw: letters, marks, digits, punctuation and symbols. Controls,
     * format characters, all separators (line, paragraph, non-ASCII spaces), surrogates, private-use and
     * unassigned code points are escaped.
     */
    private static boolean isPrintable(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
                return false;
            default:
                return true;
        }
    }

    private static void escape(StringBuilder b, char c) {
        b.append("\\u");
        String hex = Integer.toHexString(c);
        for (int i = hex.length(); i < 4; i++) {
            b.append('0');
        }
        b.append(hex);
    }
}
