package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.KekInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/**
 * {@code dynamicshare rewrap}: moves every data key (and the store MAC key) to the newest KEK version,
 * batch by batch, saving after each batch so that an interrupted run resumes where it stopped.
 */
@Command(name = "rewrap", mixinStandardHelpOptions = true,
        description = {"Re-wraps every entry's data key, and the store MAC key, with the newest version of the "
                + "configured KEK (or of --to). Ciphertexts are not touched.",
                "The store is saved after each batch: if interrupted, run it again to resume. Progress goes to "
                + "stderr."})
final class RewrapCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--to", paramLabel = "KEKREF",
            description = "The KEK to move to (default: the configuration's 'kek', else the store's own KEK).")
    String to;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "Entries per batch; the store is saved after each (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        if (batch < 1) {
            throw new CliException(ExitCodes.USAGE, "--batch must be at least 1, got " + batch);
        }
        DynamicShareKeyStore ks = store.open();
        String newest = newestVersion(ks);
        int total = pending(ks, newest);
        ProgressBar bar = new ProgressBar(System.err, Terminal.interactive() != null);
        if (total > 0) {
            bar.update(0, total);
        }
        int remaining = total;
        do {
            int before = remaining;
            remaining = ks.rewrap(to, batch);
            store.save(ks); // each batch lands atomically: a rerun skips what is already done
            bar.update(total - remaining, total);
            if (remaining > 0 && remaining >= before) {
                bar.finish();
                throw new CliException(ExitCodes.FAILED, "rewrap made no progress (" + remaining + " entries remain)");
            }
        } while (remaining > 0);
        bar.finish();
        KekInventory inv = ks.inventory();
        if (json) {
            System.out.println(new JsonWriter().beginObject().field("store", store.storeFile().toString())
                    .field("target", newest).field("rewrapped", total).field("remaining", remaining)
                    .field("entries", ks.size()).field("storeKek", inv.storeKek()).endObject());
        } else {
            System.out.println("rewrapped " + total + " of " + ks.size() + " entries to " + newest
                    + "; store MAC key wrapped by " + inv.storeKek());
        }
        return ExitCodes.OK;
    }

    /** The version the store resolves the target to, the same way the library's rewrap does. */
    private String newestVersion(DynamicShareKeyStore ks) throws GeneralSecurityException {
        String ref = to != null ? to : store.storeConfig().kek();
        if (ref == null) {
            ref = ks.inventory().storeKek();
        }
        if (ref == null) {
            throw new CliException(ExitCodes.USAGE, "no KEK to rewrap to: pass --to or set 'kek' in the configuration");
        }
        return store.context().resolver().resolve(ref).newestVersion().value();
    }

    /** Entries not yet wrapped by {@code newest}: what the progress bar counts down. */
    private static int pending(DynamicShareKeyStore ks, String newest) throws GeneralSecurityException {
        Integer done = ks.inventory().entriesByKek().get(newest);
        return Math.max(0, ks.size() - (done == null ? 0 : done));
    }
}
