package io.dynamicshare.cli;

import java.io.PrintStream;

/**
 * A text progress bar on stderr, e.g. {@code [=====>    ] 120/500}. Redrawn in place on a terminal; one
 * line per update otherwise, so logs of a batch job still show how far it got.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean inPlace;
    private boolean drawn;

    ProgressBar(PrintStream err, boolean inPlace) {
        this.err = err;
        this.inPlace = inPlace;
    }

    void update(int done, int total) {
        String line = render(done, total);
        if (inPlace) {
            err.print('\r' + line);
            err.flush();
        } else {
            err.println(line);
        }
        drawn = true;
    }

    /** Ends the in-place line so that later output starts on a fresh one. */
    void finish() {
        if (inPlace && drawn) {
            err.println();
        }
    }

    static String render(int done, int total) {
        int filled = total <= 0 ? WIDTH : (int) ((long) WIDTH * Math.min(done, total) / total);
        StringBuilder sb = new StringBuilder(WIDTH + 24).append('[');
        for (int i = 0; i < WIDTH; i++) {
            if (i < filled - 1 || (i == filled - 1 && done >= total)) {
                sb.append('=');
            } else if (i == filled - 1) {
                sb.append('>');
            } else {
                sb.append(' ');
            }
        }
        return sb.append("] ").append(done).append('/').append(total).toString();
    }
}
