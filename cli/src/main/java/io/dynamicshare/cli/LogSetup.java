package io.dynamicshare.cli;

import io.dynamicshare.audit.JulAuditSink;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Makes the library's java.util.logging output fit a command line: warnings (such as the development
 * KEK's "not for production") as single {@code warning: ...} lines on stderr, each at most once a run; the
 * per-operation audit events are not printed, as they would interleave with the command's own output.
 * A user-supplied logging configuration ({@code -Djava.util.logging.config.file=...}) is left alone, so
 * audit events can still be routed to a file.
 */
final class LogSetup {
    /** Held strongly: JUL keeps loggers weakly, and a collected logger would forget its level. */
    private static Logger auditLogger;

    private LogSetup() {
    }

    static synchronized void configure() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.setLevel(Level.WARNING);
        root.addHandler(new OneLineHandler());
        auditLogger = Logger.getLogger(JulAuditSink.LOGGER_NAME);
        auditLogger.setLevel(Level.OFF);
    }

    /** One line per logging statement and run; never a stack trace. */
    private static final class OneLineHandler extends Handler {
        private final Set<String> seen = Collections.synchronizedSet(new HashSet<String>());
        private final SimpleFormatter formatter = new SimpleFormatter();

        OneLineHandler() {
            setLevel(Level.WARNING);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String message = formatter.formatMessage(record).replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
            // Keyed by the logging statement, not the text: the same warning about a relative and an
            // absolute path of one file is still the same warning.
            String statement = record.getLoggerName() + '|' + record.getSourceClassName() + '|'
                    + record.getSourceMethodName() + '|' + record.getLevel();
            if (seen.add(statement)) {
                System.err.println(record.getLevel().intValue() >= Level.SEVERE.intValue()
                        ? "error: " + message : "warning: " + message);
            }
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
