package io.dynamicshare.appserver;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * A JUL handler that keeps every record it is given, for {@code TomcatHost}. The forked JVM's
 * logging.properties attaches it to the logger {@code io.dynamicshare.audit} at JVM level, as an
 * administrator attaches an audit file handler: Tomcat's ClassLoaderLogManager creates it with the system
 * class loader.
 */
public final class AuditCapture extends Handler {
    private static final List<String> MESSAGES = new ArrayList<>();

    @Override
    public void publish(LogRecord record) {
        synchronized (MESSAGES) {
            MESSAGES.add(record.getLoggerName() + " " + record.getLevel() + " " + record.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    static List<String> messages() {
        synchronized (MESSAGES) {
            return new ArrayList<>(MESSAGES);
        }
    }
}
