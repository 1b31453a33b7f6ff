package io.dynamicshare.audit;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The default sink: one {@code java.util.logging} record per event on the logger
 * {@value #LOGGER_NAME}, INFO for successes and WARNING for failures.
 *
 * <p>The record's message is {@link AuditEvent#toString()}, one escaped line that no alias, actor or detail can
 * break or extend. It is logged as a plain message: no parameters and no resource bundle, so neither
 * {@code MessageFormat} nor a bundle lookup ever treats caller-controlled text as a pattern or a key.
 *
 * <p>When that logger is off for an outcome's level, the store does not even build the event (see
 * {@link #isEnabled}), so a disabled default sink costs a level check per operation.
 *
 * <p>The logger belongs to the provider's class loader ({@link ProviderLoggers}): in Tomcat, with the drop-in
 * jar at JVM level, a handler attached to {@value #LOGGER_NAME} in {@code conf/logging.properties} keeps
 * receiving every web application's events after any web application is reloaded or undeployed.
 */
public final class JulAuditSink implements AuditSink {
    public static final String LOGGER_NAME = "io.dynamicshare.audit";
    private static final Logger LOG = ProviderLoggers.get(LOGGER_NAME);

    @Override
    public void record(AuditEvent event) {
        Level level = level(event.outcome());
        if (LOG.isLoggable(level)) {
            LogRecord r = new LogRecord(level, event.toString());
            r.setLoggerName(LOGGER_NAME);
            LOG.log(r);
        }
    }

    /** Whether an event with this outcome would be logged now; when false, {@link #record} would drop it. */
    @Override
    public boolean isEnabled(AuditEvent.Outcome outcome) {
        return LOG.isLoggable(level(outcome));
    }

    private static Level level(AuditEvent.Outcome outcome) {
        return outcome == AuditEvent.Outcome.FAILURE ? Level.WARNING : Level.INFO;
    }
}
