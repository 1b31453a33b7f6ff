package io.dynamicshare.cli;

import java.io.PrintStream;
import java.util.Date;
import java.util.List;

/** Formatting for the human-readable output. */
final class Text {
    private static final int LABEL_WIDTH = 26;

    private Text() {
    }

    /** ISO-8601 UTC, or null. */
    static String instant(Date d) {
        return d == null ? null : d.toInstant().toString();
    }

    static void row(PrintStream out, String label, String value) {
        out.println(pad(label + ":", LABEL_WIDTH) + (value == null ? "-" : value));
    }

    static String pad(String s, int width) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < width) {
            sb.append(' ');
        }
        return sb.toString();
    }

    /** Prints rows as left-aligned columns, the first row being the header. */
    static void table(PrintStream out, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i] == null ? 1 : r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                String v = r[i] == null ? "-" : r[i];
                sb.append(i == cols - 1 ? v : pad(v, width[i] + 2));
            }
            out.println(sb.toString());
        }
    }
}
