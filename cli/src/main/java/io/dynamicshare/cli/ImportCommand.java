package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/** {@code dynamicshare import}: stores a wallet from the SDK's JSON. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports a wallet from the Dynamic SDK's JSON: a whole createWalletAccount return, "
                + "or a walletMetadata file plus an externalServerKeyShares file (camelCase or snake_case).",
                "The alias defaults to the metadata's accountAddress. The store file is created if missing "
                + "(the configuration must then name a 'kek')."})
final class ImportCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Exactly one way in. */
    static final class Source {
        @Option(names = "--create-return", paramLabel = "FILE",
                description = "A createWalletAccount return ({walletMetadata, externalServerKeyShares, ...}); "
                        + "'-' reads it from stdin.")
        Path createReturn;

        @ArgGroup(exclusive = false)
        Parts parts;

        @Option(names = "--stdin", description = "Read a createWalletAccount return from stdin.")
        boolean stdin;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Bulk import: every *.json file in DIR, each a createWalletAccount return, under its "
                        + "accountAddress. Wallets already in the store are skipped (so a rerun resumes); a file "
                        + "that fails is reported and the others go on (exit 1 if any failed). Saved every --batch "
                        + "wallets; progress on stderr.")
        Path dir;
    }

    @Mixin
    BatchRun.Size size;

    /** Metadata and shares as two files. */
    static final class Parts {
        @Option(names = "--metadata", paramLabel = "FILE", required = true,
                description = "The walletMetadata (or WalletProperties) JSON.")
        Path metadata;

        @Option(names = "--shares", paramLabel = "FILE", required = true,
                description = "The externalServerKeyShares JSON array.")
        Path shares;
    }

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Store under this alias (default: accountAddress).")
    String alias;

    @Option(names = "--allow-identity-only",
            description = "Accept metadata without backup info (what fetchWalletMetadata returns). Such a wallet "
                    + "cannot sign or export later with these shares: use only if you understand why.")
    boolean allowIdentityOnly;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException, IOException {
        if (source.dir != null) {
            return importDirectory();
        }
        try (WalletImport wallet = readInput()) {
            wallet.validate(allowIdentityOnly);
            String target = wallet.alias(alias);
            DynamicShareKeyStore ks = store.openOrCreate();
            if (ks.containsAlias(target)) {
                throw new CliException(ExitCodes.FAILED, "alias '" + target + "' already exists in "
                        + store.location() + ": use 'replace' or 'update-metadata' for an SDK update, or "
                        + "'delete' it first");
            }
            wallet.store(ks, target, allowIdentityOnly);
            store.save(ks);
            WalletInfo info = WalletInfo.read(ks, target);
            if (json) {
                JsonWriter w = new JsonWriter().beginObject().field("store", store.location())
                        .field("shareBytes", wallet.shareBytes()).field("sha256", wallet.fingerprint())
                        .name("wallet");
                System.out.println(info.writeJson(w, false).endObject().endObject());
            } else {
                System.out.println("imported '" + target + "' (" + info.field("chainName") + ", "
                        + info.field("thresholdSignatureScheme") + ") into " + store.location());
                System.out.println("  shares: " + wallet.shareBytes() + " bytes, sha256 " + wallet.fingerprint()
                        + ", wrapped by " + info.kekId);
            }
            return ExitCodes.OK;
        }
    }

    private int importDirectory() throws GeneralSecurityException {
        if (alias != null) {
            throw new CliException(ExitCodes.USAGE, "--alias names one wallet; with --dir each wallet is stored under "
                    + "its accountAddress");
        }
        int batch = size.get();
        java.util.List<Path> files = DirectoryImport.files(source.dir);
        store.requireWritable("the imported wallets");
        DynamicShareKeyStore ks = store.openOrCreate();
        DirectoryImport run = new DirectoryImport();
        run.run(files, ks, store, batch, allowIdentityOnly);
        if (json) {
            JsonWriter w = new JsonWriter().beginObject().field("store", store.location())
                    .field("files", files.size()).field("imported", run.imported.size())
                    .field("skipped", run.skipped.size()).name("failed").beginObject();
            for (java.util.Map.Entry<Path, String> f : run.failed.entrySet()) {
                w.field(f.getKey().toString(), f.getValue());
            }
            System.out.println(w.endObject().endObject());
        } else {
            System.out.println("imported " + run.imported.size() + " of " + files.size() + " wallets from "
                    + source.dir + " into " + store.location() + " (" + run.skipped.size() + " already present, "
                    + run.failed.size() + " failed)");
            for (java.util.Map.Entry<Path, String> f : run.failed.entrySet()) {
                System.out.println("  failed: " + f.getKey() + ": " + f.getValue());
            }
        }
        return run.failed.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private WalletImport readInput() throws IOException {
        if (source.parts != null) {
            byte[] metadata = Bytes.readFile(source.parts.metadata, "--metadata");
            byte[] shares = Bytes.readFile(source.parts.shares, "--shares");
            return WalletImport.fromParts(metadata, shares, source.parts.metadata.toString());
        }
        boolean fromStdin = source.stdin || "-".equals(String.valueOf(source.createReturn));
        if (fromStdin && Terminal.interactive() != null) {
            System.err.println("reading a createWalletAccount return from stdin (end it with Ctrl-D)...");
        }
        byte[] json = fromStdin ? Bytes.readAll(System.in)
                : Bytes.readFile(source.createReturn, "--create-return");
        try {
            return WalletImport.fromCreateReturn(json, fromStdin ? "stdin" : source.createReturn.toString());
        } finally {
            Bytes.zero(json); // it held the shares; the import keeps its own copy
        }
    }
}
