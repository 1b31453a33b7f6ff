package io.dynamicshare.testing.keyvault;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-operation request counters. {@link #called} counts every request routed to an operation (including the
 * unauthenticated challenge request, faulted and failed ones); {@link #succeeded} counts 2xx answers only.
 * {@link LongAdder} keeps increments cheap under contention.
 */
final class CallCounters {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> successes = new ConcurrentHashMap<>();
    private final LongAdder challenges = new LongAdder();

    void called(String operation) {
        calls.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    void succeeded(String operation) {
        successes.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    void challenged() {
        challenges.increment();
    }

    long calls(String operation) {
        LongAdder a = calls.get(operation);
        return a == null ? 0 : a.sum();
    }

    long successes(String operation) {
        LongAdder a = successes.get(operation);
        return a == null ? 0 : a.sum();
    }

    long challenges() {
        return challenges.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    void reset() {
        calls.clear();
        successes.clear();
        challenges.reset();
    }
}
