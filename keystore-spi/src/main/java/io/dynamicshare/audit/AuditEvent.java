package io.dynamicshare.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited KeyStore operation. Holds no secret by construction: there is no field that could hold
 * share bytes or key material.
 */
public final class AuditEvent {
    /** What was done. */
    public enum Operation { LOAD, STORE, GET, SET, DELETE, REWRAP, REKEY }

    /** How it ended. */
    public enum Outcome { SUCCESS, FAILURE, NOT_FOUND }

    private final Instant time;
    private final String actor;
    private final Operation operation;
    private final String alias;
    private final String kekId;
    private final Outcome outcome;
    private final String detail;

    public AuditEvent(Instant time, String actor, Operation operation, String alias, String kekId, Outcome outcome,
                      String detail) {
        this.time = Objects.requireNonNull(time, "time");
        this.actor = Objects.requireNonNull(actor, "actor");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.alias = alias;
        this.kekId = kekId;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.detail = detail;
    }

    public Instant time() {
        return time;
    }

    /** Subject principals when the caller runs as a Subject, else the configured application identity. */
    public String actor() {
        return actor;
    }

    public Operation operation() {
        return operation;
    }

    /** The alias, or null for whole-store operations. */
    public String alias() {
        return alias;
    }

    /** The KEK version(s) involved, or null. */
    public String kekId() {
        return kekId;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** A failure's message, or counters; never secret. May be null. */
    public String detail() {
        return detail;
    }

    /** One line: {@code time=... actor=... op=GET alias=... kek=... outcome=SUCCESS detail=...}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(160).append("time=").append(time).append(" actor=").append(actor)
                .append(" op=").append(operation);
        if (alias != null) {
            b.append(" alias=").append(alias);
        }
        if (kekId != null) {
            b.append(" kek=").append(kekId);
        }
        b.append(" outcome=").append(outcome);
        if (detail != null) {
            b.append(" detail=").append(detail);
        }
        return b.toString();
    }
}
