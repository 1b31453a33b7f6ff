package io.dynamicshare.cli;

import io.dynamicshare.escrow.EscrowOpener;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.KekInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code dynamicshare verify}: whole-store integrity, then every entry opened. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Checks the store: loading it verifies the whole-store integrity tag (exit 4 if the "
                + "file was altered); then every entry is decrypted and authenticated (and wiped again).",
                "Exits 1 naming each entry that does not open (e.g. its KEK version is unavailable).",
                "With --escrow-key, also opens every entry with the escrow private key alone.",
                "Also prints the store id, generation, key epoch, the format it was read in, and the entries "
                + "without a key commitment or not yet re-sealed by 'rekey'."})
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--escrow-key", paramLabel = "KEY", description = "Also open every entry with the escrow private "
            + "key (unencrypted PEM or DER) alone: each must carry an escrow recipient that unwraps to the data key "
            + "the entry commits to, the same key its KEK recipient holds. Run it offline, where the key is kept.")
    Path escrowKey;

    @Override
    public Integer call() throws GeneralSecurityException {
        EscrowOpener escrow = escrowKey == null ? null : EscrowKeys.opener(escrowKey);
        DynamicShareKeyStore ks = store.open();
        int total = ks.size();
        KekInventory inv = ks.inventory();
        Map<String, String> failures = ks.verify();
        if (escrow != null) {
            for (Map.Entry<String, String> f : escrow.verify(ks).entrySet()) {
                failures.merge(f.getKey(), "escrow: " + f.getValue(), (a, b) -> a + "; " + b);
            }
        }
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
            System.out.println((total - failures.size()) + " of " + total + " entries open"
                    + (escrow != null ? " with their KEK and with the escrow key" : ""));
        }
        if (!failures.isEmpty()) {
            throw new CliException(ExitCodes.FAILED, failures.size() + " of " + total + " entries failed to open: "
                    + String.join(", ", failures.keySet()));
        }
        return ExitCodes.OK;
    }
}
