package io.dynamicshare.azure;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;

/**
 * Runs in a forked JVM (so it can have its own environment, as managed identity needs): opens stores through a
 * configuration file exactly as an application would and prints one result line.
 *
 * <ul>
 *   <li>{@code roundtrip <config> <store file>}: a new store, one wallet, stored, loaded by a fresh provider, read
 *       back; prints {@code OK}.</li>
 *   <li>{@code read <config> <store file> <alias> [<warm-up config>]}: a cold load and read by a fresh provider
 *       (after, if given, a load through the warm-up configuration, so the SDK's classes are loaded); prints
 *       {@code OK} or {@code FAILED <millis> <exception class>: <message>} for the first call that failed, timed
 *       alone.</li>
 * </ul>
 */
public final class AzureChild {
    private AzureChild() {
    }

    public static void main(String[] args) throws Exception {
        Path config = Path.of(args[1]);
        Path file = Path.of(args[2]);
        if (args[0].equals("roundtrip")) {
            byte[] shares = AzureStores.fixture("evm-2of2/server-key-shares.json");
            byte[] metadata = AzureStores.fixture("evm-2of2/wallet-metadata.json");
            DynamicShareKeyStore ks = provider(config).newKeyStore();
            ks.load(null, null);
            ks.setEntry("w", WalletEntry.of(shares, metadata), null);
            ks.store(FileStoreParameter.of(file));
            DynamicShareKeyStore again = provider(config).newKeyStore();
            again.load(FileStoreParameter.of(file));
            byte[] read = ((KeyStore.SecretKeyEntry) again.getEntry("w", null)).getSecretKey().getEncoded();
            System.out.println(Arrays.equals(shares, read) && Files.size(file) > 0 ? "OK" : "MISMATCH");
            return;
        }
        if (args.length > 4) {
            // Warm-up through another configuration (a working credential): loads and initialises the SDK's classes,
            // so the timed load below measures the operation, not this JVM's start.
            DynamicShareKeyStore warm = provider(Path.of(args[4])).newKeyStore();
            warm.load(FileStoreParameter.of(file));
        }
        DynamicShareKeyStore ks = provider(config).newKeyStore();
        long start = System.nanoTime();
        try {
            ks.load(FileStoreParameter.of(file));
            start = System.nanoTime();
            ks.getEntry(args[3], null);
            System.out.println("OK");
        } catch (Exception e) {
            System.out.println("FAILED " + (System.nanoTime() - start) / 1_000_000 + " " + e.getClass().getName() + ": "
                    + e.getMessage());
        }
        System.exit(0);
    }

    private static DynamicShareProvider provider(Path config) throws Exception {
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(config)));
    }
}
