package io.dynamicshare.audit;

/**
 * Where audit events go. Implementations must not throw and should return quickly: they run on the
 * caller's thread, inside every KeyStore operation.
 *
 * <pre>{@code
 * AuditSink toSiem = event -> siemClient.send(event.toString());
 * }</pre>
 */
public interface AuditSink {
    void record(AuditEvent event);

    /**
     * Whether an event with this outcome would be kept now. When false the store does not build the event
     * at all (no clock read, no Subject lookup), so a sink that is switched off costs almost nothing.
     */
    default boolean isEnabled(AuditEvent.Outcome outcome) {
        return true;
    }
}
