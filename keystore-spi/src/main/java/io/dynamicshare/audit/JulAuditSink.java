package io.dynamicshare.audit;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The default sink: one {@code java.util.logging} record per event on the logger
 * {@value #LOGGER_NAME}, INFO for successes and WARNING for failures.
 */
public final class JulAuditSink implements AuditSink {
    public static final String LOGGER_NAME = "io.dynamicshare.audit";
    private static final Logger LOG = Logger.getLogger(LOGGER_NAME);

    @Override
    public void record(AuditEvent event) {
        Level level = event.outcome() == AuditEvent.Outcome.FAILURE ? Level.WARNING : Level.INFO;
        if (LOG.isLoggable(level)) {
            LOG.log(level, event.toString());
        }
    }
}
