package io.dynamicshare.store;

import io.dynamicshare.audit.Actors;
import io.dynamicshare.audit.AuditEvent;
import io.dynamicshare.audit.AuditEvent.Operation;
import io.dynamicshare.audit.AuditEvent.Outcome;
import io.dynamicshare.audit.AuditSink;

import java.time.Instant;

/**
 * Emits the store's audit events; a failing sink never fails the operation it reports. An event the sink
 * would drop ({@link AuditSink#isEnabled}) is not built at all: no clock read, no Subject lookup, no allocation.
 */
final class StoreAudit {
    private final AuditSink sink;
    private final String application;
    private final boolean actorFromSubject;

    StoreAudit(StoreContext ctx) {
        this.sink = ctx.audit();
        this.application = ctx.config().application();
        this.actorFromSubject = ctx.config().auditActorFromSubject();
    }

    void record(Operation op, String alias, String kekId, Outcome outcome, String detail) {
        try {
            if (!sink.isEnabled(outcome)) {
                return;
            }
            String actor = actorFromSubject ? Actors.current(application) : application;
            sink.record(new AuditEvent(Instant.now(), actor, op, alias, kekId, outcome, detail));
        } catch (RuntimeException e) {
            // An audit outage must not take the key store down with it.
        }
    }
}
