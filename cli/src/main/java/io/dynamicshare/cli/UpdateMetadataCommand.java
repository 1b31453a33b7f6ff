package io.dynamicshare.cli;

import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/** {@code dynamicshare update-metadata}: merges an {@code updatePassword} result into the stored metadata. */
@Command(name = "update-metadata", mixinStandardHelpOptions = true,
        description = {"Merges the {backupInfo} that the SDK's updatePassword returned into the wallet's "
                + "walletMetadata (as externalServerKeySharesBackupInfo). The shares stay as they are.",
                "Run it right after updatePassword: the old backup info no longer matches the backups."})
final class UpdateMetadataCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "ALIAS", description = "The wallet's alias.")
    String alias;

    @Option(names = "--update-password-return", paramLabel = "FILE", required = true,
            description = "The updatePassword return: {\"backupInfo\": {...}}.")
    Path file;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws GeneralSecurityException {
        byte[] result = Bytes.readFile(file, "--update-password-return");
        DynamicShareKeyStore ks = store.open();
        store.requireAlias(ks, alias);
        WalletUpdates.applyPasswordUpdate(ks, alias, result, null);
        store.save(ks);
        WalletInfo info = WalletInfo.read(ks, alias);
        if (json) {
            System.out.println(info.writeJson(new JsonWriter(), true).endObject());
        } else {
            System.out.println("updated the backup info of '" + alias + "' in " + store.location());
            info.printText(System.out);
        }
        return ExitCodes.OK;
    }
}
