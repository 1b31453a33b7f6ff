package io.dynamicshare.backend;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.EntryConflictException;
import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;

/**
 * One writer JVM of {@link TwoJvmDatabaseWritersTest}: {@code rounds} times, for each shared wallet, a compare-and-set
 * that adds the marker {@code "<name>-<round>": true} to the wallet's metadata (read, add, replaceEntry; on a conflict
 * read again, bounded), then a {@link WalletUpdates#applyPasswordUpdate} (its bounded retry, retried again on a conflict). Prints
 * {@code ACK <alias> <marker>} only after the write committed, then reads the wallet back and checks its marker is
 * there (the data-key cache follows rows another JVM replaced). Arguments: config file, JDBC URL, namespace, name,
 * rounds, password-update result file, aliases...
 */
public final class DatabaseWriterMain {
    private DatabaseWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        StoreConfig config = StoreConfig.load(Paths.get(args[0]));
        String name = args[3];
        int rounds = Integer.parseInt(args[4]);
        byte[] passwordUpdate = Files.readAllBytes(Paths.get(args[5]));
        int conflicts = 0;
        try (DynamicShareKeyStore ks = new DynamicShareProvider(StoreContext.of(config)).newKeyStore()) {
            ks.load(DatabaseStoreParameter.url(args[1], args[2]).withUser("postgres").withPoolSize(2));
            long start = Long.parseLong(System.getProperty("start", "0")); // both JVMs begin together: real overlap
            Thread.sleep(Math.max(0, start - System.currentTimeMillis()));
            for (int round = 0; round < rounds; round++) {
                for (int a = 6; a < args.length; a++) {
                    String alias = args[a];
                    String marker = name + "-" + round;
                    for (int attempt = 0; ; attempt++) {
                        if (attempt == 200) {
                            throw new IllegalStateException("no progress after 200 attempts for " + alias);
                        }
                        KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(alias, null);
                        String version = WalletAttributes.get(e, WalletAttributes.ENTRY_VERSION);
                        String metadata = WalletAttributes.get(e, WalletAttributes.WALLET_METADATA);
                        String marked = "{\"" + marker + "\":true," + metadata.substring(metadata.indexOf('{') + 1);
                        try {
                            ks.replaceEntry(alias, version, WalletEntry.of(e.getSecretKey().getEncoded(),
                                    marked.getBytes(StandardCharsets.UTF_8)));
                            System.out.println("ACK " + alias + " " + marker);
                            break;
                        } catch (EntryConflictException c) {
                            conflicts++;
                        }
                    }
                    String now = WalletAttributes.get(ks.getEntry(alias, null), WalletAttributes.WALLET_METADATA);
                    if (!now.contains("\"" + marker + "\"")) {
                        throw new IllegalStateException("read back without its own marker " + marker + ": " + alias);
                    }
                    for (int attempt = 0; ; attempt++) { // WalletUpdates retries 3 times; two busy JVMs need more
                        try {
                            WalletUpdates.applyPasswordUpdate(ks, alias, passwordUpdate, null);
                            break;
                        } catch (EntryConflictException c) {
                            conflicts++;
                            if (attempt == 50) {
                                throw c;
                            }
                        }
                    }
                }
            }
        }
        System.out.println("CONFLICTS " + conflicts);
    }
}
