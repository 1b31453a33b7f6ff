package io.dynamicshare.backend;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JVMs updating the same wallets in one database at once, each update a compare-and-set: every acknowledged
 * update is in the final rows (0 lost), and each JVM reads rows the other replaced correctly.
 */
class TwoJvmDatabaseWritersTest {
    private static final int ROUNDS = 15;

    @TempDir
    Path dir;

    @Test
    void twoJvmsLoseNoAcknowledgedWrite() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Target.Database db = new Target.Database(dev);
        KeyStore seed = db.open("shared", dev.provider);
        List<String> aliases = new ArrayList<>();
        for (Fixtures.Wallet w : List.of(Fixtures.WALLETS.get(0), Fixtures.WALLETS.get(1))) {
            seed.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
            aliases.add(w.alias());
        }
        Path update = Files.write(dir.resolve("update-password.json"),
                Fixtures.read("evm-2of2/update-password.return.json"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Processes.Result>> runs = new ArrayList<>();
        String start = "-Dstart=" + (System.currentTimeMillis() + 8_000);
        for (String name : List.of("a", "b")) {
            List<String> cmd = new ArrayList<>(List.of(Processes.jdkTool("java"), start, "-cp",
                    System.getProperty("java.class.path"), DatabaseWriterMain.class.getName(),
                    dev.configFile.toString(), PostgresFixture.url(db.database), "shared", name,
                    String.valueOf(ROUNDS), update.toString()));
            cmd.addAll(aliases.subList(0, 1)); // the EVM wallet's update result fits the EVM wallet only
            runs.add(pool.submit(() -> Processes.run(cmd, 240)));
        }
        Map<String, Set<String>> acknowledged = new HashMap<>();
        int conflicts = 0;
        for (Future<Processes.Result> f : runs) {
            Processes.Result r = f.get();
            assertEquals(0, r.exitCode(), r.output());
            for (String line : r.output().split("\n")) {
                if (line.startsWith("ACK ")) {
                    String[] parts = line.trim().split(" ");
                    acknowledged.computeIfAbsent(parts[1], k -> new HashSet<>()).add(parts[2]);
                } else if (line.startsWith("CONFLICTS ")) {
                    conflicts += Integer.parseInt(line.substring(10).trim());
                }
            }
        }
        pool.shutdown();
        assertTrue(conflicts > 0, "the two JVMs did overlap");
        String evm = aliases.get(0);
        assertEquals(2 * ROUNDS, acknowledged.get(evm).size(), "every update acknowledged once");
        KeyStore fresh = db.reopen(seed);
        String metadata = WalletAttributes.get(fresh.getEntry(evm, null), WalletAttributes.WALLET_METADATA);
        for (String marker : acknowledged.get(evm)) {
            assertTrue(metadata.contains("\"" + marker + "\""), "acknowledged update " + marker + " was lost");
        }
        assertTrue(metadata.contains("593e0de6-6136-496d-9a56-df459ba45690"), "the password updates landed too");
        assertArrayEquals(Fixtures.WALLETS.get(0).shares(), fresh.getKey(evm, null).getEncoded());
        System.out.println("TwoJvmDatabaseWritersTest: " + 2 * ROUNDS + " acknowledged, " + conflicts
                + " compare-and-set conflicts retried");
    }
}
