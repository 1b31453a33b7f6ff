package io.dynamicshare.branchkey;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A store's branch key versions (hierarchical mode) as the inventory reports them: for each version, the KEK
 * version(s) anchoring it and how many entries its derived keys wrap; the active version (what new entries use).
 * Not secret.
 *
 * <pre>{@code
 * BranchKeyInventory b = ks.inventory().branchKeys();
 * b.entriesByVersion().forEach((v, n) -> System.out.println("branch key v" + v + ": " + n + " entries"));
 * }</pre>
 */
public final class BranchKeyInventory {
    private final Map<Long, String> anchors;
    private final Map<Long, Integer> entriesByVersion;
    private final boolean hierarchical;

    /**
     * @param anchors          version to the KEK version(s) wrapping its block, comma-separated
     * @param entriesByVersion version to the number of entries it wraps (versions no entry uses may be absent)
     * @param hierarchical     whether new entries use the active version ({@code kek.mode})
     */
    public BranchKeyInventory(Map<Long, String> anchors, Map<Long, Integer> entriesByVersion, boolean hierarchical) {
        this.anchors = Collections.unmodifiableMap(new TreeMap<>(anchors));
        this.entriesByVersion = Collections.unmodifiableMap(new TreeMap<>(entriesByVersion));
        this.hierarchical = hierarchical;
    }

    /** Version to the KEK version(s) that wrap its block (comma-separated), ascending versions. */
    public Map<Long, String> anchors() {
        return anchors;
    }

    /** Version to the number of entries whose data key it wraps. */
    public Map<Long, Integer> entriesByVersion() {
        return entriesByVersion;
    }

    /** The version new entries use in hierarchical mode (the highest), or 0 when the store has none. */
    public long activeVersion() {
        long v = 0;
        for (Long k : anchors.keySet()) {
            v = Math.max(v, k);
        }
        return v;
    }

    /** True when new entries wrap under the active version ({@code kek.mode=hierarchical}). */
    public boolean hierarchical() {
        return hierarchical;
    }

    @Override
    public String toString() {
        return "BranchKeyInventory{" + (hierarchical ? "hierarchical" : "direct") + ", anchors=" + anchors
                + ", entries=" + entriesByVersion + "}";
    }
}
