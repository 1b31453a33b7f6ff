package io.dynamicshare.store;

import io.dynamicshare.branchkey.BranchKeyInventory;
import io.dynamicshare.escrow.EscrowInventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a store depends on and where it stands: the KEK versions that wrap its entries, its store key and its branch
 * keys
 * (none of them may be disabled or deleted until a rewrap has moved everything off it), its generation, its
 * key epoch, and how many entries {@code rekey} has yet to re-seal.
 *
 * <pre>{@code
 * KekInventory inv = ks.inventory();
 * inv.entriesByKek().forEach((kek, n) -> System.out.println(kek + ": " + n + " entries"));
 * System.out.println("generation " + inv.generation());
 * }</pre>
 */
public final class KekInventory {
    private final Map<String, Integer> entriesByKek;
    private final String storeKek;
    private final long generation;
    private final long keyEpoch;
    private final int formatRead;
    private final int entriesWithoutKeyCommitment;
    private final int entriesBehindKeyEpoch;
    private final String storeId;
    private final EscrowInventory escrow;
    private final BranchKeyInventory branchKeys;

    KekInventory(Map<String, Integer> entriesByKek, String storeKek, long generation, long keyEpoch, int formatRead,
                 int entriesWithoutKeyCommitment, int entriesBehindKeyEpoch, byte[] storeId, EscrowInventory escrow,
                 BranchKeyInventory branchKeys) {
        this.escrow = escrow;
        this.branchKeys = branchKeys;
        this.entriesByKek = Collections.unmodifiableMap(new LinkedHashMap<>(entriesByKek));
        this.storeKek = storeKek;
        this.generation = generation;
        this.keyEpoch = keyEpoch;
        this.formatRead = formatRead;
        this.entriesWithoutKeyCommitment = entriesWithoutKeyCommitment;
        this.entriesBehindKeyEpoch = entriesBehindKeyEpoch;
        StringBuilder hex = new StringBuilder();
        for (byte b : storeId) {
            hex.append(String.format("%02x", b));
        }
        this.storeId = hex.toString();
    }

    /** KEK version id to the number of entries whose data key it wraps. */
    public Map<String, Integer> entriesByKek() {
        return entriesByKek;
    }

    /** The KEK version(s) that wrap the store key (comma-separated), or null before a new store is first written. */
    public String storeKek() {
        return storeKek;
    }

    /**
     * Every KEK version the store needs: entries, store key and the branch key versions entries use together. A
     * branch key version no entry uses is not needed: {@code rewrap} does not re-anchor it, writers never wrap under
     * it unless the newest KEK version made it, and {@code rekey} removes it.
     */
    public java.util.Set<String> versionsInUse() {
        java.util.Set<String> all = new java.util.TreeSet<>(entriesByKek.keySet());
        if (storeKek != null) {
            all.addAll(java.util.Arrays.asList(storeKek.split(",")));
        }
        for (Map.Entry<Long, String> v : branchKeys.anchors().entrySet()) {
            if (branchKeys.entriesByVersion().getOrDefault(v.getKey(), 0) > 0) {
                all.addAll(java.util.Arrays.asList(v.getValue().split(",")));
            }
        }
        return all;
    }

    /** The branch key versions (hierarchical mode): what anchors each, how many entries each wraps. */
    public BranchKeyInventory branchKeys() {
        return branchKeys;
    }

    /** The generation of the file last loaded or stored: 0 for a new store or a format-1 file. */
    public long generation() {
        return generation;
    }

    /** The store key epoch: 1 at creation, one more after each {@code rekey} starts. */
    public long keyEpoch() {
        return keyEpoch;
    }

    /** The container format the store was loaded from: 0 for a new store, 1 (legacy, upgraded at the next store) or 2. */
    public int formatRead() {
        return formatRead;
    }

    /** Entries sealed in entry format 1, without a key commitment; {@code rekey} re-seals them. */
    public int entriesWithoutKeyCommitment() {
        return entriesWithoutKeyCommitment;
    }

    /** Entries {@code rekey} has yet to re-seal under the current key epoch (0 when no rekey is under way). */
    public int entriesBehindKeyEpoch() {
        return entriesBehindKeyEpoch;
    }

    /** The store's identity, 32 hex digits: pin it to detect a swapped-in store under the same KEK. */
    public String storeId() {
        return storeId;
    }

    /** Which entries the configured escrow key can open, and which escrow recipients the entries carry. */
    public EscrowInventory escrow() {
        return escrow;
    }

    @Override
    public String toString() {
        return "KekInventory{store " + storeId + ", generation " + generation + ", key epoch " + keyEpoch
                + ", entries=" + entriesByKek + ", storeKey=" + storeKek + ", escrow=" + escrow + ", " + branchKeys + "}";
    }
}
