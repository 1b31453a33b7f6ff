package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code dynamicshare list}: every wallet with its metadata; never any share. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the wallets in the store: alias, chain, scheme, address, walletId, KEK version and "
                + "creation date. Shows metadata only.")
final class ListCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        DynamicShareKeyStore ks = store.open();
        List<WalletInfo> wallets = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
            wallets.add(WalletInfo.read(ks, alias));
        }
        if (json) {
            JsonWriter w = new JsonWriter().beginObject().field("store", store.location())
                    .field("count", wallets.size()).name("wallets").beginArray();
            for (WalletInfo info : wallets) {
                info.writeJson(w, false).endObject();
            }
            System.out.println(w.endArray().endObject());
        } else if (wallets.isEmpty()) {
            System.out.println("no wallets in " + store.location());
        } else {
            print(wallets);
        }
        return ExitCodes.OK;
    }

    static void print(List<WalletInfo> wallets) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ALIAS", "CHAIN", "SCHEME", "ADDRESS", "WALLET ID", "KEK", "CREATED"});
        for (WalletInfo i : wallets) {
            String chain = i.field("chainName");
            if (i.field("addressType") != null) {
                chain = chain + "/" + i.field("addressType");
            }
            rows.add(new String[] {i.alias, chain, i.field("thresholdSignatureScheme"), i.field("accountAddress"),
                    i.field("walletId"), i.kekId, Text.instant(i.created)});
        }
        Text.table(System.out, rows);
    }
}
