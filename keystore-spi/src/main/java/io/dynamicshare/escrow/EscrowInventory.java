package io.dynamicshare.escrow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far the escrow key covers a store: entries that carry a recipient for the configured escrow key, those that
 * do not (written before it was configured: {@code rewrap} adds it), and every other recipient found, by key.
 *
 * <pre>{@code
 * EscrowInventory e = ks.inventory().escrow();
 * if (e.entriesWithoutEscrow() > 0) { ... run rewrap ... }
 * }</pre>
 */
public final class EscrowInventory {
    private final String configured;
    private final int with;
    private final int without;
    private final Map<String, Integer> byKey;

    EscrowInventory(String configured, int with, int without, Map<String, Integer> byKey) {
        this.configured = configured;
        this.with = with;
        this.without = without;
        this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    }

    /** The configured escrow key's id ({@link EscrowKey#id()}), or null when none is configured. */
    public String configured() {
        return configured;
    }

    /** Entries with a recipient for the configured escrow key (0 when none is configured). */
    public int entriesWithEscrow() {
        return with;
    }

    /** Entries without one: the escrow key cannot open them. */
    public int entriesWithoutEscrow() {
        return without;
    }

    /** Every non-KEK recipient found, by key id, with the number of entries that carry it. */
    public Map<String, Integer> entriesByEscrowKey() {
        return byKey;
    }

    @Override
    public String toString() {
        return "EscrowInventory{configured=" + configured + ", with=" + with + ", without=" + without + ", byKey="
                + byKey + "}";
    }
}
