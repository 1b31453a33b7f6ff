package io.dynamicshare.store;

import io.dynamicshare.audit.Actors;
import io.dynamicshare.audit.AuditEvent;
import io.dynamicshare.audit.AuditEvent.Operation;
import io.dynamicshare.audit.AuditEvent.Outcome;

import java.time.Instant;

/** Emits the store's audit events; a failing sink never fails the operation it reports. */
final class StoreAudit {
    private final StoreContext ctx;

    StoreAudit(StoreContext ctx) {
        this.ctx = ctx;
    }

    void record(Operation op, String alias, String kekId, Outcome outcome, String detail) {
        try {
            ctx.audit().record(new AuditEvent(Instant.now(), Actors.current(ctx.config().application()), op, alias,
                    kekId, outcome, detail));
        } catch (RuntimeException e) {
            // An audit outage must not take the key store down with it.
        }
    }
}
