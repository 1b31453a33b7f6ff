package io.dynamicshare.cli;

/**
 * A tiny JSON builder for the {@code --json} output. Hand-written rather than Jackson so that documents
 * the store already holds as JSON (walletMetadata) are embedded byte-for-byte with {@link #raw(String)},
 * and so that key shares never pass through a general-purpose serializer.
 */
final class JsonWriter {
    private final StringBuilder sb = new StringBuilder();
    /** Whether the container at each depth already holds an item (so the next one needs a comma). */
    private boolean[] hasItems = new boolean[16];
    private int depth;
    private boolean afterName;

    JsonWriter beginObject() {
        beforeValue();
        sb.append('{');
        push();
        return this;
    }

    JsonWriter endObject() {
        depth--;
        sb.append('}');
        return this;
    }

    JsonWriter beginArray() {
        beforeValue();
        sb.append('[');
        push();
        return this;
    }

    JsonWriter endArray() {
        depth--;
        sb.append(']');
        return this;
    }

    JsonWriter name(String name) {
        beforeValue();
        quote(name);
        sb.append(':');
        afterName = true;
        return this;
    }

    /** A string value, or null. */
    JsonWriter value(String value) {
        beforeValue();
        if (value == null) {
            sb.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonWriter value(long value) {
        beforeValue();
        sb.append(value);
        return this;
    }

    JsonWriter value(boolean value) {
        beforeValue();
        sb.append(value);
        return this;
    }

    /** A value that already is JSON (validated by the library), written as is. */
    JsonWriter raw(String json) {
        beforeValue();
        sb.append(json == null ? "null" : json);
        return this;
    }

    JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    private void push() {
        depth++;
        if (depth == hasItems.length) {
            hasItems = java.util.Arrays.copyOf(hasItems, depth * 2);
        }
        hasItems[depth] = false;
    }

    private void beforeValue() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (hasItems[depth]) {
                sb.append(',');
            }
            hasItems[depth] = true;
        }
    }

    private void quote(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
