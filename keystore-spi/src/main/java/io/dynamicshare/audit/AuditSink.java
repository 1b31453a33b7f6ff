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
}
