package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/** {@code dynamicshare show}: one wallet's metadata; its shares only when explicitly revealed and confirmed. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Shows one wallet's metadata.",
                "With --reveal also prints its externalServerKeyShares (SECRET) after a confirmation: in a "
                + "terminal, type the alias; otherwise pass --yes. Without either, nothing is revealed (exit 2)."})
final class ShowCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "ALIAS", description = "The wallet's alias.")
    String alias;

    @Option(names = "--reveal", description = "Also print the key shares (SECRET; asks for confirmation).")
    boolean reveal;

    @Option(names = "--yes", description = "Confirm --reveal without a prompt (for scripts).")
    boolean yes;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        DynamicShareKeyStore ks = store.open();
        store.requireAlias(ks, alias);
        if (reveal) {
            Terminal.confirm("reveal the key shares", alias, yes);
        }
        WalletInfo info = WalletInfo.read(ks, alias);
        if (!reveal) {
            if (json) {
                System.out.println(info.writeJson(new JsonWriter(), true).endObject());
            } else {
                info.printText(System.out);
            }
            return ExitCodes.OK;
        }
        byte[] shares = Shares.read(ks, alias);
        try {
            printRevealed(info, shares);
        } finally {
            Bytes.zero(shares);
        }
        return ExitCodes.OK;
    }

    /** The shares go to stdout as raw bytes: never through a String, which could not be wiped. */
    private void printRevealed(WalletInfo info, byte[] shares) {
        if (json) {
            String head = info.writeJson(new JsonWriter(), true).toString();
            System.out.print(head + ",\"externalServerKeyShares\":");
            System.out.write(shares, 0, shares.length);
            System.out.println("}");
        } else {
            info.printText(System.out);
            System.out.println("externalServerKeyShares (SECRET, " + shares.length + " bytes, sha256 "
                    + Bytes.sha256(shares) + "):");
            System.out.write(shares, 0, shares.length);
            if (shares.length == 0 || shares[shares.length - 1] != '\n') {
                System.out.println();
            }
        }
        System.out.flush();
        // A reminder on stderr, where it does not spoil piped JSON.
        System.err.println("warning: the key shares of '" + alias + "' were printed; clear your terminal "
                + "scrollback and keep no copies");
    }
}
