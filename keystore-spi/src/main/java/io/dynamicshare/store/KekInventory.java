package io.dynamicshare.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which KEK versions a store still depends on: none of them may be disabled or deleted until a rewrap
 * has moved everything off it.
 *
 * <pre>{@code
 * KekInventory inv = ks.inventory();
 * inv.entriesByKek().forEach((kek, n) -> System.out.println(kek + ": " + n + " entries"));
 * }</pre>
 */
public final class KekInventory {
    private final Map<String, Integer> entriesByKek;
    private final String storeKek;

    KekInventory(Map<String, Integer> entriesByKek, String storeKek) {
        this.entriesByKek = Collections.unmodifiableMap(new LinkedHashMap<>(entriesByKek));
        this.storeKek = storeKek;
    }

    /** KEK version id to the number of entries whose data key it wraps. */
    public Map<String, Integer> entriesByKek() {
        return entriesByKek;
    }

    /** The KEK version that wraps the store MAC key, or null before a new store is first written. */
    public String storeKek() {
        return storeKek;
    }

    /** Every version the store needs, entries and MAC key together. */
    public java.util.Set<String> versionsInUse() {
        java.util.Set<String> all = new java.util.TreeSet<>(entriesByKek.keySet());
        if (storeKek != null) {
            all.add(storeKek);
        }
        return all;
    }

    @Override
    public String toString() {
        return "KekInventory{entries=" + entriesByKek + ", store=" + storeKek + "}";
    }
}
