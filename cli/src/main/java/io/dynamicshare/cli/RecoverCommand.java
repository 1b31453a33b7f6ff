package io.dynamicshare.cli;

import io.dynamicshare.escrow.EscrowOpener;
import io.dynamicshare.escrow.Recovery;
import io.dynamicshare.escrow.RecoveryReport;
import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code dynamicshare recover}: the vault (or the KEK) is lost; the escrow key opens every entry and a new store is
 * written under the configured KEK (README "Vault or key lost").
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Disaster recovery: opens every entry of --store with the escrow private key alone and writes "
                + "them into a new store (--to) under the configured 'kek', with a progress bar.",
                "Resumable: entries --to already holds are kept, and --to is saved after each batch; run it again "
                + "after an interruption.",
                "If the old store key can still be opened (its KEK listed in 'kek.allow' and reachable), every entry "
                + "tag and the file MAC are checked and tampered entries are not restored. If not, nothing proves who "
                + "wrote an entry (anyone who knows the escrow public key can make one): recover refuses unless "
                + "--accept-unauthenticated is given, and the report lists every such entry.",
                "Prints a report of what was restored, how it was authenticated, and what could not be restored "
                + "(exit 1 if anything failed or is unauthenticated)."})
final class RecoverCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Mixin
    BatchRun.Size size;

    @Option(names = "--escrow-key", required = true, paramLabel = "KEY",
            description = "The escrow private key (unencrypted PEM or DER, RSA).")
    Path escrowKey;

    @Option(names = "--to", required = true, paramLabel = "FILE",
            description = "The new store, written with the configured 'kek' (created, or resumed if it exists).")
    Path to;

    @Option(names = "--accept-unauthenticated", description = "Restore even when the old store key cannot be opened, "
            + "so that no entry can be authenticated (see README \"Vault or key lost\").")
    boolean acceptUnauthenticated;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        int batch = size.get();
        EscrowOpener escrow = EscrowKeys.opener(escrowKey);
        Path source = store.storeFile();
        if (!Files.exists(source)) {
            throw new CliException(ExitCodes.NOT_FOUND, "no store at " + source);
        }
        try {
            if (Files.exists(to) && Files.isSameFile(source, to)) {
                throw new CliException(ExitCodes.USAGE, "--to must be a new file, not the store being recovered");
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, Failures.message(e), e);
        }
        store.requireWritable("the recovered store");
        StoreOptions destination = StoreOptions.of(to, store.configFile());
        DynamicShareKeyStore ks = destination.openOrCreate();
        ProgressBar bar = new ProgressBar(System.err, Terminal.interactive() != null);
        RecoveryReport r;
        try {
            r = Recovery.run(source, store.context().keks(), escrow, ks, to, batch, acceptUnauthenticated, bar::update);
        } catch (Recovery.UnauthenticatedException e) {
            throw new CliException(ExitCodes.INTEGRITY, Failures.message(e), e);
        } catch (IOException e) {
            throw Failures.load(source, e);
        } finally {
            bar.finish();
        }
        print(r);
        if (!r.complete()) {
            throw new CliException(ExitCodes.FAILED, "recovery incomplete: " + r.failures().size() + " not restored, "
                    + r.unauthenticated().size() + " restored without authentication"
                    + (Boolean.FALSE.equals(r.fileMacVerified()) ? ", file MAC failed" : ""));
        }
        return ExitCodes.OK;
    }

    private void print(RecoveryReport r) {
        if (json) {
            JsonWriter w = new JsonWriter().beginObject().field("store", store.storeFile().toString())
                    .field("to", to.toString()).field("storeId", r.storeId()).field("generation", r.generation())
                    .field("storeKeyOpened", r.storeKeyOpened()).field("storeKeyProblem", r.storeKeyProblem())
                    .field("fileMac", r.fileMacVerified() == null ? "not checked" : r.fileMacVerified() ? "ok" : "FAILED");
            list(w, "authenticated", r.authenticated());
            list(w, "unauthenticated", r.unauthenticated());
            list(w, "alreadyPresent", r.alreadyPresent());
            w.name("failures").beginObject();
            for (Map.Entry<String, String> f : r.failures().entrySet()) {
                w.field(f.getKey(), f.getValue());
            }
            System.out.println(w.endObject().endObject());
            return;
        }
        System.out.println("source: " + store.storeFile() + " (store id " + r.storeId() + ", generation "
                + r.generation() + ")");
        System.out.println(r.storeKeyOpened() ? "store key: opened; entry tags checked; file MAC: "
                + (r.fileMacVerified() ? "ok" : "FAILED (entries were added, removed or reordered, or the header "
                + "edited)") : "store key: NOT opened (" + r.storeKeyProblem() + "): no entry is authenticated");
        System.out.println("restored, authenticated: " + r.authenticated().size());
        for (String a : r.unauthenticated()) {
            System.out.println("UNAUTHENTICATED " + a + ": restored from the escrow key alone; check it against the SDK");
        }
        System.out.println("restored, unauthenticated: " + r.unauthenticated().size());
        System.out.println("already in " + to + ": " + r.alreadyPresent().size());
        for (Map.Entry<String, String> f : r.failures().entrySet()) {
            System.out.println("NOT RESTORED " + f.getKey() + ": " + f.getValue());
        }
        System.out.println("wrote " + to);
    }

    private static void list(JsonWriter w, String name, java.util.List<String> values) {
        w.name(name).beginArray();
        for (String v : values) {
            w.value(v);
        }
        w.endArray();
    }
}
