package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/** {@code dynamicshare delete}: removes a wallet, after a confirmation. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Deletes a wallet's entry (shares and metadata) from the store.",
                "Unless another copy of the shares exists (a backup), the wallet can no longer sign. In a "
                + "terminal, confirm by typing the alias; otherwise pass --yes."})
final class DeleteCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "ALIAS", description = "The wallet's alias.")
    String alias;

    @Option(names = "--yes", description = "Delete without a prompt (for scripts).")
    boolean yes;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        DynamicShareKeyStore ks = store.open();
        store.requireAlias(ks, alias);
        Terminal.confirm("delete the wallet", alias, yes);
        ks.deleteEntry(alias);
        store.save(ks);
        if (json) {
            System.out.println(new JsonWriter().beginObject().field("deleted", alias)
                    .field("store", store.location()).field("remaining", ks.size()).endObject());
        } else {
            System.out.println("deleted '" + alias + "' from " + store.location() + " (" + ks.size()
                    + " wallets remain)");
        }
        return ExitCodes.OK;
    }
}
