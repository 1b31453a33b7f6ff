package io.dynamicshare.testing.keyvault;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread-safe fault injection for a {@link KeyVaultTestDouble}.
 *
 * <p>Armed faults are consumed in the order they were armed: each authenticated request that reaches an operation
 * takes one unit from the first armed fault whose operation filter matches (a {@code null} filter matches every
 * operation). Unauthenticated challenge requests are never faulted, so "the next N requests" means the next N
 * requests the SDK sends with a token. Latency applies to every request, the challenge included.
 *
 * <pre>{@code
 * vault.faults().throttleNext(2, 1);                       // two 429s with Retry-After: 1
 * vault.faults().failNext(1, 503, Operation.UNWRAP_KEY);   // one 503, only on unwrapKey
 * vault.faults().dropNext(1);                              // close the connection without an answer
 * vault.faults().deny("kek", Operation.UNWRAP_KEY);        // 403 Forbidden until allow(...)
 * vault.faults().latency(50);                              // +50 ms on every request
 * }</pre>
 */
public final class Faults {

    /** What an armed fault does to the request it hits. */
    enum Kind { THROTTLE, FAIL, DROP }

    /** One armed fault; {@code remaining} is decremented atomically so concurrent requests never overdraw it. */
    static final class Armed {
        final Kind kind;
        final int status;
        final int retryAfterSeconds;
        final String operation;
        final AtomicInteger remaining;

        Armed(Kind kind, int count, int status, int retryAfterSeconds, String operation) {
            this.kind = kind;
            this.status = status;
            this.retryAfterSeconds = retryAfterSeconds;
            this.operation = operation;
            this.remaining = new AtomicInteger(count);
        }

        boolean matches(String op) {
            return operation == null || operation.equals(op);
        }

        boolean tryTake() {
            int r;
            do {
                r = remaining.get();
                if (r <= 0) {
                    return false;
                }
            } while (!remaining.compareAndSet(r, r - 1));
            return true;
        }
    }

    private final List<Armed> armed = new CopyOnWriteArrayList<>();
    private final Set<String> denied = ConcurrentHashMap.newKeySet();
    private volatile long latencyMillis;

    Faults() {
    }

    /** Adds a fixed delay (milliseconds, 0 to disable) before every request is answered. */
    public Faults latency(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("latency must be >= 0");
        }
        this.latencyMillis = millis;
        return this;
    }

    /** The configured added latency in milliseconds. */
    public long latencyMillis() {
        return latencyMillis;
    }

    /** The next {@code count} requests (any operation) answer 429 {@code Throttled} with {@code Retry-After}. */
    public Faults throttleNext(int count, int retryAfterSeconds) {
        return throttleNext(count, retryAfterSeconds, null);
    }

    /** Like {@link #throttleNext(int, int)}, restricted to one operation (see {@link Operation}). */
    public Faults throttleNext(int count, int retryAfterSeconds, String operation) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
        }
        return arm(new Armed(Kind.THROTTLE, positive(count), 429, retryAfterSeconds, operation));
    }

    /** The next {@code count} requests answer with a server error {@code status} (500..599, e.g. 500 or 503). */
    public Faults failNext(int count, int status) {
        return failNext(count, status, null);
    }

    /** Like {@link #failNext(int, int)}, restricted to one operation. */
    public Faults failNext(int count, int status, String operation) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx code, was " + status);
        }
        return arm(new Armed(Kind.FAIL, positive(count), status, 0, operation));
    }

    /** The next {@code count} requests get no answer: the server closes the connection abruptly. */
    public Faults dropNext(int count) {
        return dropNext(count, null);
    }

    /** Like {@link #dropNext(int)}, restricted to one operation. */
    public Faults dropNext(int count, String operation) {
        return arm(new Armed(Kind.DROP, positive(count), 0, 0, operation));
    }

    /** Permission switch: {@code operation} on key {@code keyName} answers 403 {@code Forbidden} until allowed. */
    public Faults deny(String keyName, String operation) {
        denied.add(permissionKey(keyName, operation));
        return this;
    }

    /** Reverts {@link #deny(String, String)}. */
    public Faults allow(String keyName, String operation) {
        denied.remove(permissionKey(keyName, operation));
        return this;
    }

    /** Number of armed fault units not yet consumed. */
    public int pending() {
        return armed.stream().mapToInt(a -> Math.max(0, a.remaining.get())).sum();
    }

    /** Disarms every fault, removes every denial and resets the latency to zero. */
    public void clear() {
        armed.clear();
        denied.clear();
        latencyMillis = 0;
    }

    // ---- used by the router ----

    /** Takes one unit of the first matching armed fault, or returns {@code null} if the request is healthy. */
    Armed next(String operation) {
        for (Armed a : armed) {
            if (a.matches(operation) && a.tryTake()) {
                if (a.remaining.get() <= 0) {
                    armed.remove(a);
                }
                return a;
            }
        }
        return null;
    }

    boolean isDenied(String keyName, String operation) {
        return keyName != null && denied.contains(permissionKey(keyName, operation));
    }

    void applyLatency() {
        long ms = latencyMillis;
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Faults arm(Armed a) {
        armed.add(a);
        return this;
    }

    private static int positive(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be > 0");
        }
        return count;
    }

    private static String permissionKey(String keyName, String operation) {
        // Key names are case-insensitive in Key Vault.
        return keyName.toLowerCase(java.util.Locale.ROOT) + '\u0000' + operation;
    }
}
