package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;

import java.security.GeneralSecurityException;

/**
 * A resumable batch operation (rewrap, rekey) run to completion: one batch, save (each batch lands atomically,
 * so a rerun continues where this one stopped), progress bar on stderr; a batch that makes no progress fails.
 */
final class BatchRun {
    /** The batch size option of every batch command. */
    static final class Size {
        @picocli.CommandLine.Option(names = "--batch", paramLabel = "N", defaultValue = "100",
                description = "Entries per batch; the store is saved after each (default: ${DEFAULT-VALUE}).")
        int batch;

        /** The batch size, checked. */
        int get() {
            if (batch < 1) {
                throw new CliException(ExitCodes.USAGE, "--batch must be at least 1, got " + batch);
            }
            return batch;
        }
    }

    /** One batch; returns how many entries are still to do. */
    interface Step {
        int next() throws GeneralSecurityException;
    }

    private BatchRun() {
    }

    /** @return what is still to do at the end: 0 */
    static int toCompletion(String what, int total, DynamicShareKeyStore ks, StoreOptions store, Step step)
            throws GeneralSecurityException {
        ProgressBar bar = new ProgressBar(System.err, Terminal.interactive() != null);
        if (total > 0) {
            bar.update(0, total);
        }
        int remaining = total;
        do {
            int previous = remaining;
            remaining = step.next();
            store.save(ks);
            bar.update(total - remaining, total);
            if (remaining > 0 && remaining >= previous) {
                bar.finish();
                throw new CliException(ExitCodes.FAILED, what + " made no progress (" + remaining + " entries remain)");
            }
        } while (remaining > 0);
        bar.finish();
        return remaining;
    }
}
