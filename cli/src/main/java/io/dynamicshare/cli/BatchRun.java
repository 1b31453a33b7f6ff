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

    /**
     * Runs {@code step} until nothing remains. The first batch may find more to do than {@code total} estimated (a
     * rewrap after a KEK rotation starts a fresh branch key version, which every entry then moves to): the total grows
     * to match, and only later batches must make progress.
     *
     * @return how many entries the run handled (at least {@code total})
     */
    static int toCompletion(String what, int total, DynamicShareKeyStore ks, StoreOptions store, Step step)
            throws GeneralSecurityException {
        ProgressBar bar = new ProgressBar(System.err, Terminal.interactive() != null);
        if (total > 0) {
            bar.update(0, total);
        }
        int remaining = total;
        boolean first = true;
        do {
            int previous = remaining;
            remaining = step.next();
            store.save(ks);
            if (first && remaining >= previous) {
                total += remaining - previous; // the estimate was low; the batch's own work is not counted in it
            } else if (remaining > 0 && remaining >= previous) {
                bar.finish();
                throw new CliException(ExitCodes.FAILED, what + " made no progress (" + remaining + " entries remain)");
            }
            first = false;
            bar.update(total - remaining, total);
        } while (remaining > 0);
        bar.finish();
        return total;
    }
}
