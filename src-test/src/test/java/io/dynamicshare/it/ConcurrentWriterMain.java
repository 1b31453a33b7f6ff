package io.dynamicshare.it;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreConflictException;
import io.dynamicshare.store.StoreContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;

/**
 * One writer process of {@link TwoProcessStoreTest}: {@code writes} times, load the shared file, add one wallet
 * under a unique alias, store; on a conflict (another process stored in between), load again and retry.
 * Prints {@code ACK <alias>} only after a store returned, and {@code CONFLICTS <n>} at the end.
 * Arguments: config file, store file, writer name, writes, metadata file, shares file.
 */
public final class ConcurrentWriterMain {
    private ConcurrentWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        StoreConfig config = StoreConfig.load(Paths.get(args[0]));
        Path file = Paths.get(args[1]);
        String name = args[2];
        int writes = Integer.parseInt(args[3]);
        byte[] metadata = Files.readAllBytes(Paths.get(args[4]));
        byte[] shares = Files.readAllBytes(Paths.get(args[5]));
        DynamicShareProvider provider = new DynamicShareProvider(StoreContext.of(config));
        int conflicts = 0;
        for (int i = 0; i < writes; i++) {
            String alias = name + "-" + i;
            for (int attempt = 0; ; attempt++) {
                if (attempt == 500) {
                    throw new IllegalStateException("no progress after 500 attempts for " + alias);
                }
                KeyStore ks = KeyStore.getInstance(DynamicShareProvider.KEYSTORE_TYPE, provider);
                ks.load(FileStoreParameter.of(file));
                ks.setEntry(alias, WalletEntry.of(shares, metadata), null);
                try {
                    ks.store(FileStoreParameter.of(file));
                    System.out.println("ACK " + alias);
                    break;
                } catch (StoreConflictException e) {
                    conflicts++;
                }
            }
        }
        System.out.println("CONFLICTS " + conflicts);
    }
}
