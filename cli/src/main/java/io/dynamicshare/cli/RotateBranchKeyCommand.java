package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/** {@code dynamicshare rotate-branch-key}: a new branch key version for new entries (hierarchical mode). */
@Command(name = "rotate-branch-key", mixinStandardHelpOptions = true,
        description = {"Hierarchical mode (kek.mode=hierarchical): creates the next branch key version, anchored by "
                + "the configured 'kek' (one vault call). New entries use it; older versions stay for reading.",
                "Run 'rewrap' afterwards to move older entries to it (a local unwrap and wrap per entry, no vault "
                + "call), and 'rekey' to replace every branch key after a compromise."})
final class RotateBranchKeyCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        store.requireWritable("a branch key rotation");
        DynamicShareKeyStore ks = store.open();
        long version = ks.rotateBranchKey();
        store.save(ks);
        if (json) {
            System.out.println(new JsonWriter().beginObject().field("store", store.storeFile().toString())
                    .field("activeBranchKeyVersion", version)
                    .field("generation", ks.inventory().generation()).endObject());
        } else {
            System.out.println("branch key version " + version + " is active for new entries; run 'rewrap' to move "
                    + "older entries to it");
        }
        return ExitCodes.OK;
    }
}
