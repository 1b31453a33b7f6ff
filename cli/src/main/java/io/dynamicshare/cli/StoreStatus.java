package io.dynamicshare.cli;

import io.dynamicshare.escrow.EscrowInventory;
import io.dynamicshare.store.KekInventory;

import java.io.PrintStream;
import java.util.Map;

/**
 * Where a store stands, as {@code inventory} and {@code verify} print it: its id, generation, key epoch, the
 * container format it was read in, the entries {@code rekey} has yet to re-seal, and the escrow coverage.
 */
final class StoreStatus {
    private StoreStatus() {
    }

    /** The same facts as JSON fields of the object {@code w} is writing. */
    static JsonWriter fields(JsonWriter w, KekInventory inv) {
        w.field("storeId", inv.storeId()).field("generation", inv.generation())
                .field("keyEpoch", inv.keyEpoch()).field("formatRead", inv.formatRead())
                .field("entriesWithoutKeyCommitment", inv.entriesWithoutKeyCommitment())
                .field("entriesBehindKeyEpoch", inv.entriesBehindKeyEpoch())
                .field("kekMode", inv.branchKeys().hierarchical() ? "hierarchical" : "direct")
                .field("activeBranchKeyVersion", inv.branchKeys().activeVersion());
        EscrowInventory e = inv.escrow();
        w.field("escrowKey", e.configured()).field("entriesWithEscrow", e.entriesWithEscrow())
                .field("entriesWithoutEscrow", e.entriesWithoutEscrow()).name("entriesByEscrowKey").beginObject();
        for (Map.Entry<String, Integer> k : e.entriesByEscrowKey().entrySet()) {
            w.field(k.getKey(), k.getValue());
        }
        return w.endObject();
    }

    /** Branch key versions (hierarchical mode): what anchors each, how many entries each wraps. */
    static void printBranchKeys(PrintStream out, KekInventory inv) {
        out.println("kek mode: " + (inv.branchKeys().hierarchical() ? "hierarchical" : "direct"));
        for (Map.Entry<Long, String> e : inv.branchKeys().anchors().entrySet()) {
            Integer n = inv.branchKeys().entriesByVersion().get(e.getKey());
            out.println("branch key v" + e.getKey() + (e.getKey() == inv.branchKeys().activeVersion() ? " (active)" : "")
                    + ": " + (n == null ? 0 : n) + " entries; wrapped by " + e.getValue());
        }
    }

    /** One fact per line, then what to do about entries left behind or a legacy file. */
    static void print(PrintStream out, KekInventory inv) {
        out.println("store id: " + inv.storeId());
        out.println("generation: " + inv.generation());
        out.println("key epoch: " + inv.keyEpoch());
        out.println("format read: " + inv.formatRead());
        out.println("entries without key commitment: " + inv.entriesWithoutKeyCommitment());
        out.println("entries behind the key epoch: " + inv.entriesBehindKeyEpoch());
        EscrowInventory e = inv.escrow();
        out.println("escrow key: " + (e.configured() == null ? "none configured" : e.configured()));
        out.println("entries with escrow: " + e.entriesWithEscrow() + ", without: " + e.entriesWithoutEscrow());
        for (Map.Entry<String, Integer> k : e.entriesByEscrowKey().entrySet()) {
            out.println("escrow recipients for " + k.getKey() + ": " + k.getValue());
        }
        if (e.configured() != null && e.entriesWithoutEscrow() > 0) {
            out.println("note: " + e.entriesWithoutEscrow() + " entries carry no recipient for the configured escrow "
                    + "key, which cannot open them: run 'dynamicshare rewrap'");
        }
        if (e.entriesByEscrowKey().size() > (e.configured() != null && e.entriesWithEscrow() > 0 ? 1 : 0)) {
            out.println("note: entries carry recipients of an escrow key that is not configured; 'dynamicshare "
                    + "rewrap' drops them (README \"Escrow key suspected compromised\")");
        }
        if (inv.formatRead() == 1) {
            out.println("note: read from a format-1 file, which is not protected against someone who can write "
                    + "it; the next save writes format 2. If others could ever write the file, run 'dynamicshare "
                    + "rekey' after that (docs/SECURITY.md, \"What does not hold\")");
        }
        if (inv.entriesBehindKeyEpoch() > 0) {
            out.println("note: " + inv.entriesBehindKeyEpoch() + " entries are not yet re-sealed under key epoch "
                    + inv.keyEpoch() + ": run 'dynamicshare rekey' to finish");
        }
    }
}
