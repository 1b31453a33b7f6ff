package io.dynamicshare.bench.state;

import io.dynamicshare.audit.AuditEvent;
import io.dynamicshare.audit.AuditSink;

import java.util.concurrent.atomic.LongAdder;

/**
 * The audit sink every benchmark store uses instead of the default java.util.logging one (which would print
 * one INFO line per operation to the console): it only counts, so the benchmarks still pay for building
 * every audit event, as production does, but not for formatting and writing a log line.
 */
public final class CountingAuditSink implements AuditSink {
    private final LongAdder events = new LongAdder();

    @Override
    public void record(AuditEvent event) {
        events.increment();
    }

    public long events() {
        return events.sum();
    }
}
