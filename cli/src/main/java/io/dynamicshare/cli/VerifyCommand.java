package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.KekInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dynamicshare verify}: whole-store integrity, then every entry opened. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks the store: loading it verifies the whole-store integrity tag (exit 4 if the "
                + "file was altered); then every entry is decrypted and authenticated (and wiped again).",
                "Exits 1 naming each entry that does not open (e.g. its KEK version is unavailable).",
                "Also prints the store id, generation, key epoch, the format it was read in, and the entries "
                + "without a key commitment or not yet re-sealed by 'rekey'."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        DynamicShareKeyStore ks = store.open();
        int total = ks.size();
        KekInventory inv = ks.inventory();
        Map<String, String> failures = ks.verify();
        if (json) {
            JsonWriter w = new JsonWriter().beginObject().field("store", store.location())
                    .field("integrity", true).field("entries", total).field("ok", failures.isEmpty());
            StoreStatus.fields(w, inv).name("failures").beginObject();
            for (Map.Entry<String, String> f : failures.entrySet()) {
                w.field(f.getKey(), f.getValue());
            }
            System.out.println(w.endObject().endObject());
        } else {
            System.out.println("store integrity: ok (" + store.location() + ")");
            StoreStatus.print(System.out, inv);
            for (Map.Entry<String, String> f : failures.entrySet()) {
                System.out.println("FAILED " + f.getKey() + ": " + f.getValue());
            }
            System.out.println((total - failures.size()) + " of " + total + " entries open");
        }
        if (!failures.isEmpty()) {
            throw new CliException(ExitCodes.FAILED, failures.size() + " of " + total + " entries failed to open: "
                    + String.join(", ", failures.keySet()));
        }
        return ExitCodes.OK;
    }
}
