package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Paths;
import java.security.KeyStoreException;
import java.util.concurrent.Callable;

/** {@code dynamicshare migrate}: a whole store from a file to a database, or back. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Moves a whole store between a file and a PostgreSQL database, in either direction: --store is "
                + "the source, --to the target (a jdbc: URL when the source is a file, a new file when it is a "
                + "database). The store keeps its id and store key and every entry moves as its exact bytes: no entry "
                + "is decrypted, and it costs one vault call whatever the number of wallets.",
                "Into a database: resumable (a rerun skips rows already written). Into a file: written atomically at "
                + "the end (an interrupted run leaves no file). A store in the middle of a rekey is refused: finish "
                + "it first. Progress goes to stderr."})
final class MigrateCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--to", paramLabel = "FILE|JDBC-URL", required = true,
            description = "The target: a jdbc: URL (namespace: --to-namespace) or a store file that does not exist.")
    String to;

    @Option(names = "--to-namespace", paramLabel = "NAME",
            description = "The target namespace in a database (default: the source's --namespace, else the "
                    + "configuration's db.namespace).")
    String toNamespace;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws KeyStoreException {
        StoreOptions target = StoreOptions.of(Paths.get("."), store.configFile());
        target.store = to;
        target.namespace = toNamespace != null ? toNamespace : store.namespace;
        if (store.isDatabase() == target.isDatabase()) {
            throw new CliException(ExitCodes.USAGE, "migrate moves a store between a file and a database: --store "
                    + store.location() + " and --to " + target.location() + " are both "
                    + (store.isDatabase() ? "databases" : "files"));
        }
        DynamicShareKeyStore ks = store.open();
        ProgressBar bar = new ProgressBar(System.err, Terminal.interactive() != null);
        int every = Math.max(1, ks.size() / 100);
        StoreMigration.Progress progress = (done, total) -> {
            if (done % every == 0 || done == total) {
                bar.update(done, total);
            }
        };
        StoreMigration.Result result;
        try {
            result = target.isDatabase()
                    ? StoreMigration.fileToDatabase(ks, target.databaseParameter(), progress)
                    : StoreMigration.databaseToFile(ks, target.storeFile(), progress);
        } catch (IOException e) {
            bar.finish();
            throw new CliException(e instanceof io.dynamicshare.store.StoreConflictException ? ExitCodes.CONFLICT
                    : ExitCodes.FAILED, "cannot write " + target.location() + ": " + Failures.message(e), e);
        } finally {
            ks.close();
        }
        bar.finish();
        if (json) {
            System.out.println(new JsonWriter().beginObject().field("from", store.location())
                    .field("to", target.location()).field("written", result.written)
                    .field("unchanged", result.unchanged).endObject());
        } else {
            System.out.println("migrated " + (result.written + result.unchanged) + " entries from " + store.location()
                    + " to " + target.location() + " (" + result.written + " written, " + result.unchanged
                    + " already there)");
        }
        return ExitCodes.OK;
    }
}
