package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.KekInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/**
 * {@code dynamicshare rekey}: recovery after a compromise. A fresh store key (a new key epoch), then every entry
 * re-sealed under a fresh data key, batch by batch, saving after each batch so that an interrupted run resumes
 * where it stopped (docs/SECURITY.md, "A compromise can be answered").
 */
@Command(name = "rekey", mixinStandardHelpOptions = true,
        description = {"After a compromise (a KEK version, a data key, the store key or a host's memory may have "
                + "leaked): draws a fresh store key (a new key epoch, anchored by the configured 'kek') and "
                + "re-encrypts every entry's shares under a fresh data key wrapped by the configured 'kek'.",
                "Unlike 'rewrap' (routine rotation, which keeps the data keys, the store key and the ciphertexts "
                + "and only re-wraps them with the newest KEK version), afterwards nothing in the store depends on a "
                + "key that existed before. Follow the README's 'Compromise runbook': pin the new KEK version and "
                + "drop the compromised one from 'kek.allow' first, then rekey, then 'verify' and 'inventory'.",
                "Needs 'kek' in the configuration: without it the store is read-only.",
                "The store is saved after each batch: if interrupted, run it again to resume (it finishes the "
                + "current key epoch rather than starting another). Progress goes to stderr."})
final class RekeyCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Mixin
    BatchRun.Size size;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        int batch = size.get();
        store.requireWritable("a rekey");
        DynamicShareKeyStore ks = store.open();
        KekInventory before = ks.inventory();
        // The library's rule: entries behind an epoch of 2 or more are an interrupted rekey, finished under that
        // epoch. Otherwise (none behind, or only entries of format 1 behind epoch 1, as in a migrated store) the
        // first call starts a new epoch, and every entry is re-sealed.
        boolean resumed = before.entriesBehindKeyEpoch() > 0 && before.keyEpoch() >= 2;
        int total = resumed ? before.entriesBehindKeyEpoch() : ks.size();
        total = BatchRun.toCompletion("rekey", total, ks, store, () -> ks.rekey(batch));
        KekInventory after = ks.inventory();
        if (json) {
            System.out.println(new JsonWriter().beginObject().field("store", store.location())
                    .field("resumed", resumed).field("resealed", total).field("remaining", 0)
                    .field("entries", ks.size()).field("previousKeyEpoch", before.keyEpoch())
                    .field("keyEpoch", after.keyEpoch()).field("generation", after.generation())
                    .field("storeId", after.storeId()).field("storeKek", after.storeKek()).endObject());
        } else {
            System.out.println((resumed ? "finished key epoch " + after.keyEpoch() + ": re-sealed the " + total
                    + " entries still behind it" : "new store key at key epoch " + after.keyEpoch() + " (was "
                    + before.keyEpoch() + "); re-sealed " + total + " of " + ks.size() + " entries")
                    + " with fresh data keys");
            System.out.println("store key wrapped by " + after.storeKek() + "; wrote generation " + after.generation()
                    + " to " + store.location());
        }
        return ExitCodes.OK;
    }
}
