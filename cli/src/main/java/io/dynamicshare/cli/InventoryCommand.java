package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.KekInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dynamicshare inventory}: which KEK versions the store still needs, and where the store stands. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Shows the KEK versions the store depends on: how many entries each one wraps, and "
                + "which one wraps the store key, and the branch key versions (hierarchical mode) with their entries.",
                "A version listed here must not be disabled or deleted in the key service; run 'rewrap' "
                + "first.",
                "Also shows the store id, its generation (keep the last one you saw and pass it as "
                + "--min-generation to detect a rolled-back file), its key epoch, the format it was read in, and "
                + "the entries 'rekey' has yet to re-seal."})
final class InventoryCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        DynamicShareKeyStore ks = store.open();
        KekInventory inv = ks.inventory();
        if (json) {
            JsonWriter w = new JsonWriter().beginObject().field("store", store.location())
                    .field("entries", ks.size()).name("entriesByKek").beginObject();
            for (Map.Entry<String, Integer> e : inv.entriesByKek().entrySet()) {
                w.field(e.getKey(), e.getValue());
            }
            w.endObject().field("storeKek", inv.storeKek()).name("versionsInUse").beginArray();
            for (String v : inv.versionsInUse()) {
                w.value(v);
            }
            w.endArray().name("branchKeys").beginObject();
            for (Map.Entry<Long, String> e : inv.branchKeys().anchors().entrySet()) {
                Integer n = inv.branchKeys().entriesByVersion().get(e.getKey());
                w.name("v" + e.getKey()).beginObject().field("entries", n == null ? 0 : n).field("kek", e.getValue())
                        .endObject();
            }
            w.endObject();
            System.out.println(StoreStatus.fields(w, inv).endObject());
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEK VERSION", "ENTRIES"});
        for (Map.Entry<String, Integer> e : inv.entriesByKek().entrySet()) {
            rows.add(new String[] {e.getKey(), String.valueOf(e.getValue())});
        }
        if (rows.size() > 1) {
            Text.table(System.out, rows);
        } else {
            System.out.println("no entries in " + store.location());
        }
        System.out.println("store key wrapped by: " + (inv.storeKek() == null ? "-" : inv.storeKek()));
        StoreStatus.printBranchKeys(System.out, inv);
        StoreStatus.print(System.out, inv);
        return ExitCodes.OK;
    }
}
