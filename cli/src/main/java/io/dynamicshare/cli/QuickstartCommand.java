package io.dynamicshare.cli;

import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code dynamicshare quickstart}: the no-cloud demo. A development KEK, the bundled sample wallets, a
 * listing, one read-back (fingerprint only) and a tampered copy that the store rejects.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Runs the no-cloud demo in DIR: creates a LOCAL DEVELOPMENT KEK (not for production) "
                + "with a random password, a configuration, and a store holding four synthetic sample wallets "
                + "(EVM 2-of-2, EVM 2-of-3, BTC taproot, SVM); lists them, reads one back (size and SHA-256 only), "
                + "then shows that a copy of the store with one flipped bit is rejected.",
                "Running it again reuses DIR; delete DIR to start over."})
final class QuickstartCommand implements Callable<Integer> {
    /** The bundled samples, under /samples/NAME/ in the jar. */
    static final String[] SAMPLES = {"evm-2of2", "evm-2of3", "btc-taproot-2of2", "svm-2of2"};

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "quickstart-store",
            description = "Where the demo's files go (default: ./${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--json", description = "Print a JSON summary instead of the narrated demo.")
    boolean json;

    /** Held strongly: JUL keeps loggers weakly, and a collected logger would forget its filter. */
    private static Logger devKekLogger;

    @Override
    public Integer call() throws Exception {
        // In JSON mode the narration goes to stderr so that stdout holds one JSON document.
        PrintStream say = json ? System.err : System.out;
        sayTheDevelopmentKekWarningOurselves();
        QuickstartSetup setup = QuickstartSetup.prepare(dir);
        warn(say, setup);
        say.println(setup.created ? "created a development KEK and " + setup.config()
                : "reusing the quickstart in " + dir + " (delete the directory to start over)");

        StoreOptions store = StoreOptions.of(setup.store(), setup.config());
        DynamicShareKeyStore ks = store.openOrCreate();
        List<String> aliases = new ArrayList<>();
        for (String sample : SAMPLES) {
            aliases.add(importSample(ks, sample, say));
        }
        store.save(ks);

        List<WalletInfo> wallets = new ArrayList<>();
        for (String alias : aliases) {
            wallets.add(WalletInfo.read(ks, alias));
        }
        if (!json) {
            say.println();
            say.println("wallets in " + setup.store() + " (metadata only):");
            ListCommand.print(wallets);
        }

        String readAlias = aliases.get(0);
        byte[] shares = Shares.read(ks, readAlias);
        int shareBytes = shares.length;
        String sha256 = Bytes.sha256(shares);
        Bytes.zero(shares);
        say.println();
        say.println("read back '" + readAlias + "': " + shareBytes + " bytes of key shares, sha256 " + sha256
                + " (the shares themselves are never printed)");

        long offset = Tamper.flipOneBit(setup.store(), setup.tampered());
        String rejection = rejection(setup);
        say.println();
        say.println("tampered copy " + setup.tampered() + " (one bit flipped at byte " + offset + "):");
        say.println("  rejected on load: " + rejection);

        if (json) {
            System.out.println(summary(setup, wallets, readAlias, shareBytes, sha256, offset, rejection));
        } else {
            nextSteps(say, setup);
        }
        return ExitCodes.OK;
    }

    private static String importSample(DynamicShareKeyStore ks, String sample, PrintStream say) throws Exception {
        String base = "/samples/" + sample + "/";
        byte[] metadata = Bytes.resource(base + "wallet-metadata.json");
        try (WalletImport wallet = WalletImport.fromParts(metadata, Bytes.resource(base + "server-key-shares.json"),
                "sample " + sample)) {
            String alias = wallet.alias(null);
            if (ks.containsAlias(alias)) {
                say.println("sample " + sample + " is already in the store as '" + alias + "'");
            } else {
                wallet.validate(false);
                wallet.store(ks, alias, false);
                say.println("imported sample " + sample + " as '" + alias + "' (" + wallet.shareBytes()
                        + " bytes of shares)");
            }
            return alias;
        }
    }

    /** Loads the tampered copy, which must fail its integrity check; anything else means the demo failed. */
    private static String rejection(QuickstartSetup setup) {
        try {
            StoreOptions.of(setup.tampered(), setup.config()).open();
        } catch (CliException e) {
            if (e.exitCode() == ExitCodes.INTEGRITY) {
                return e.getMessage();
            }
            throw e;
        }
        throw new CliException(ExitCodes.FAILED, "the tampered copy " + setup.tampered() + " loaded: the integrity "
                + "check did not catch the change");
    }

    /**
     * The development KEK logs its own "not for production" WARNING each time it is opened (once per run
     * on the command line). The quickstart says it itself, once, at the top and naming both files, so the
     * library's line is dropped for this run: the user reads one warning, not two in two spellings.
     */
    private static synchronized void sayTheDevelopmentKekWarningOurselves() {
        devKekLogger = Logger.getLogger(LocalDevKek.class.getName());
        final Filter previous = devKekLogger.getFilter();
        devKekLogger.setFilter(new Filter() {
            @Override
            public boolean isLoggable(LogRecord record) {
                String message = record.getMessage();
                if (message != null && message.toUpperCase(Locale.ROOT).contains("LOCAL DEVELOPMENT KEK")) {
                    return false;
                }
                return previous == null || previous.isLoggable(record);
            }
        });
    }

    /** The one development-KEK warning of a quickstart run. */
    private static void warn(PrintStream say, QuickstartSetup setup) {
        say.println("WARNING: LOCAL DEVELOPMENT KEK - NOT FOR PRODUCTION. The key-encryption key ("
                + setup.kekFile() + ") and its password (" + setup.passwordFile() + ") sit next to the store. "
                + "Use an Azure Key Vault KEK for real wallets.");
    }

    private static void nextSteps(PrintStream say, QuickstartSetup setup) {
        Path cfg = setup.config().toAbsolutePath();
        Path st = setup.store().toAbsolutePath();
        say.println();
        say.println("next steps:");
        say.println("  export " + StoreOptions.CONFIG_ENV + "=" + cfg + " " + StoreOptions.STORE_ENV + "=" + st);
        say.println("  dynamicshare list");
        say.println("  dynamicshare verify");
        say.println("  dynamicshare verify --store " + setup.tampered().toAbsolutePath() + "   # exits 4");
    }

    private static String summary(QuickstartSetup setup, List<WalletInfo> wallets, String readAlias, int shareBytes,
                                  String sha256, long offset, String rejection) {
        JsonWriter w = new JsonWriter().beginObject().field("dir", setup.dir.toString())
                .field("config", setup.config().toString()).field("store", setup.store().toString())
                .field("kek", "devkek:" + QuickstartSetup.KEK_NAME).field("createdKek", setup.created)
                .field("productionReady", false).name("wallets").beginArray();
        for (WalletInfo info : wallets) {
            info.writeJson(w, false).endObject();
        }
        w.endArray().name("readBack").beginObject().field("alias", readAlias).field("shareBytes", shareBytes)
                .field("sha256", sha256).endObject();
        w.name("tamper").beginObject().field("file", setup.tampered().toString()).field("flippedByte", offset)
                .field("rejected", true).field("error", rejection).endObject();
        return w.endObject().toString();
    }
}
