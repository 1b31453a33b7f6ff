package io.dynamicshare.bench;

import io.dynamicshare.bench.state.AzureKek;
import io.dynamicshare.bench.state.CountingAuditSink;
import io.dynamicshare.bench.state.Wallets;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a JMH benchmark: counts Key Vault calls (at the Key Vault test double, RSA-2048, real Azure SDK over HTTPS)
 * for cold reads of {@code wallets} distinct wallets by {@code instances} store instances reading concurrently, as
 * a fleet of processes would: each instance is its own provider (its own data-key and branch key caches) that loads
 * the same store file and reads its share of the wallets, every read cold (nothing cached in that instance).
 *
 * <pre>
 * java -Xmx6g -cp benchmarks/target/benchmarks.jar io.dynamicshare.bench.FleetColdReads 100000 4 hierarchical
 * </pre>
 */
public final class FleetColdReads {
    private FleetColdReads() {
    }

    public static void main(String[] args) throws Exception {
        int wallets = Integer.parseInt(args[0]);
        int instances = Integer.parseInt(args[1]);
        String mode = args[2];
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try (AzureKek kek = new AzureKek(2048, AzureKek.kekMode(mode))) {
            Path file = kek.dir.resolve("fleet.dsks");
            Wallets.Wallet w = Wallets.wallet(1024, 0);
            long t0 = System.nanoTime();
            DynamicShareKeyStore writer = kek.provider.newKeyStore();
            writer.load(null, null);
            KeyStore.SecretKeyEntry entry = WalletEntry.of(w.shares(), w.metadata());
            for (int i = 0; i < wallets; i++) {
                writer.setEntry("wallet-" + i, entry, null);
            }
            writer.store(FileStoreParameter.of(file));
            Map<String, Long> writeCalls = new TreeMap<>(kek.vault.callCounts());
            System.out.printf("wrote %d wallets (%s mode) in %.1f s; vault calls while writing: %s%n", wallets, mode,
                    (System.nanoTime() - t0) / 1e9, writeCalls);

            List<DynamicShareKeyStore> fleet = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                DynamicShareProvider p = new DynamicShareProvider(
                        StoreContext.of(StoreConfig.load(kek.config)).withAudit(new CountingAuditSink()));
                DynamicShareKeyStore ks = p.newKeyStore();
                ks.load(FileStoreParameter.of(file));
                fleet.add(ks);
            }
            Map<String, Long> afterLoad = new TreeMap<>(kek.vault.callCounts());
            kek.vault.resetCounters();
            long t1 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(instances);
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                final DynamicShareKeyStore ks = fleet.get(i);
                final int from = i * wallets / instances;
                final int to = (i + 1) * wallets / instances;
                done.add(pool.submit(() -> {
                    for (int a = from; a < to; a++) {
                        byte[] shares = ((KeyStore.SecretKeyEntry) ks.getEntry("wallet-" + a, null)).getSecretKey()
                                .getEncoded();
                        if (!Arrays.equals(shares, w.shares())) {
                            throw new IllegalStateException("wallet-" + a + " does not read back");
                        }
                        Arrays.fill(shares, (byte) 0);
                    }
                    return to - from;
                }));
            }
            int read = 0;
            for (Future<Integer> f : done) {
                read += f.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - t1) / 1e9;
            Map<String, Long> readCalls = new TreeMap<>(kek.vault.callCounts());
            long total = 0;
            for (long c : readCalls.values()) {
                total += c;
            }
            System.out.printf("loads (%d instances, before the reads): vault calls %s%n", instances, afterLoad);
            System.out.printf("cold reads: %d distinct wallets by %d concurrent instances (%s mode) in %.1f s: "
                    + "%d vault calls %s%n", read, instances, mode, seconds, total, readCalls);
        }
    }
}
