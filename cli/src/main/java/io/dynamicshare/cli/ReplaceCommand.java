package io.dynamicshare.cli;

import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.metadata.SdkResult;
import io.dynamicshare.metadata.ThresholdSignatureScheme;
import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/** {@code dynamicshare replace}: a share refresh or reshare, applied as one atomic update. */
@Command(name = "replace", mixinStandardHelpOptions = true,
        description = {"Replaces a wallet's shares and backup info together with what the SDK's "
                + "refreshWalletAccountShares returned ({externalServerKeyShares, backupInfo}).",
                "With --scheme, applies a reshare instead: shares, backup info and the new "
                + "thresholdSignatureScheme in one update. Either all of it lands or nothing changes."})
final class ReplaceCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "ALIAS", description = "The wallet's alias.")
    String alias;

    @Option(names = "--result", paramLabel = "FILE", required = true,
            description = "The refreshWalletAccountShares (or reshare) return.")
    Path file;

    @Option(names = "--scheme", paramLabel = "SCHEME",
            description = "A reshare to this thresholdSignatureScheme (TWO_OF_TWO, TWO_OF_THREE, THREE_OF_FIVE).")
    String scheme;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (scheme != null) {
            ThresholdSignatureScheme.parse(scheme); // a usage error before anything is read or opened
        }
        byte[] result = Bytes.readFile(file, "--result");
        try {
            String fingerprint = fingerprint(result);
            DynamicShareKeyStore ks = store.open();
            store.requireAlias(ks, alias);
            if (scheme == null) {
                WalletUpdates.applyShareRefresh(ks, alias, result, null);
            } else {
                WalletUpdates.applyReshare(ks, alias, result, scheme, null);
            }
            store.save(ks);
            WalletInfo info = WalletInfo.read(ks, alias);
            if (json) {
                JsonWriter w = info.writeJson(new JsonWriter(), true).field("sha256", fingerprint);
                System.out.println(w.endObject());
            } else {
                System.out.println("replaced the shares and backup info of '" + alias + "'"
                        + (scheme == null ? "" : " (reshared to " + scheme + ")") + " in " + store.location());
                System.out.println("  new shares: sha256 " + fingerprint + ", wrapped by " + info.kekId);
            }
            return ExitCodes.OK;
        } finally {
            Bytes.zero(result);
        }
    }

    /** The new shares' fingerprint, so the operator can match it against the SDK side without seeing them. */
    private static String fingerprint(byte[] result) throws Exception {
        byte[] shares = SdkResult.parse(result).externalServerKeyShares();
        if (shares == null) {
            return null; // the library refuses this result with its own message
        }
        try {
            return Bytes.sha256(shares);
        } finally {
            Bytes.zero(shares);
        }
    }
}
