package io.dynamicshare.cli;

import io.dynamicshare.branchkey.BranchKeyInventory;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.escrow.EscrowKey;
import io.dynamicshare.escrow.EscrowRecipients;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.KekInventory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/**
 * {@code dynamicshare rewrap}: moves every data key (and the store key) to the newest version of the configured
 * {@code kek} (never another key), batch by batch, saving after each batch so that an interrupted run resumes
 * where it stopped. Routine rotation; after a compromise, {@code rekey} is the command.
 */
@Command(name = "rewrap", mixinStandardHelpOptions = true,
        description = {"Routine KEK rotation: re-wraps every entry's data key, and the store key, with the newest "
                + "version of the configured 'kek'. Ciphertexts, data keys and the store key are kept; after a "
                + "compromise use 'rekey' instead.",
                "Needs 'kek' in the configuration: without it the store is read-only. A store never chooses the key "
                + "it is written with: to move to another key, set 'kek' to it and list the old key in 'kek.allow'.",
                "The store is saved after each batch: if interrupted, run it again to resume. Progress goes to "
                + "stderr."})
final class RewrapCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--to", paramLabel = "KEKREF",
            description = "Optional check: the KEK you expect to move to. It must be the configuration's 'kek', "
                    + "the only key rewrap wraps with.")
    String to;

    @Mixin
    BatchRun.Size size;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        int batch = size.get();
        store.requireWritable("a rewrap");
        String kek = store.storeConfig().kek();
        if (to != null && !to.equals(kek)) {
            throw new CliException(ExitCodes.USAGE, "--to " + to + ": rewrap only wraps with the configured 'kek' ("
                    + kek + "); to move to " + to + ", set kek=" + to + " and list the old key in 'kek.allow' ("
                    + store.configFile() + ")");
        }
        DynamicShareKeyStore ks = store.open();
        String newest = store.context().keks().writeKek().newestVersion().value();
        int total = pending(ks, newest, store.storeConfig().escrow());
        // null: the configured 'kek', which --to was checked against
        total = BatchRun.toCompletion("rewrap", total, ks, store, () -> ks.rewrap(null, batch));
        KekInventory inv = ks.inventory();
        if (json) {
            System.out.println(new JsonWriter().beginObject().field("store", store.location())
                    .field("target", newest).field("rewrapped", total).field("remaining", 0)
                    .field("entries", ks.size()).field("storeKek", inv.storeKek())
                    .field("generation", inv.generation()).endObject());
        } else {
            System.out.println("rewrapped " + total + " of " + ks.size() + " entries to " + newest
                    + "; store key wrapped by " + inv.storeKek() + "; wrote generation " + inv.generation());
        }
        return ExitCodes.OK;
    }

    /**
     * Entries not yet wrapped as new ones are (by {@code newest}; in hierarchical mode by the active branch key
     * version), or whose escrow recipient is not the configured escrow key's (the rule of {@code rewrap},
     * {@link EscrowRecipients#upToDate}): what the progress bar counts down.
     */
    private static int pending(DynamicShareKeyStore ks, String newest, EscrowKey escrow)
            throws GeneralSecurityException {
        BranchKeyInventory branch = ks.inventory().branchKeys();
        // After a KEK rotation the rewrap draws a fresh branch key version first, and every entry moves to it.
        boolean freshVersion = branch.hierarchical() && !newest.equals(branch.anchors().get(branch.activeVersion()));
        int n = 0;
        for (String alias : java.util.Collections.list(ks.aliases())) {
            SealedEntry e = CmsEnvelope.parse(ks.entryDer(alias));
            boolean current;
            if (branch.hierarchical()) {
                current = !freshVersion && e.branchRecipient() != null
                        && e.branchRecipient().version() == branch.activeVersion();
            } else {
                current = false;
                for (io.dynamicshare.kek.WrappedKey w : e.recipients()) {
                    current |= w.kekId().value().equals(newest);
                }
            }
            if (!current || !EscrowRecipients.upToDate(escrow, e)) {
                n++;
            }
        }
        return n;
    }
}
