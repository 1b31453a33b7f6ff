package io.dynamicshare.it;

import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreConflictException;
import io.dynamicshare.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two JVMs storing one file, each a loop of load / setEntry / store: every write a store acknowledged is in the
 * final file (before the OS lock and the conflict check, last writer won and half of them were lost).
 */
class TwoProcessStoreTest {
    private static final int WRITES = 12;

    @TempDir
    Path dir;

    @Test
    void twoProcessesLoseNoAcknowledgedWrite() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Fixtures.Wallet w = Fixtures.WALLETS.get(3);
        Path file = dir.resolve("shared.dsks");
        KeyStore seed = dev.newStore();
        seed.setEntry(w.alias(), io.dynamicshare.entry.WalletEntry.of(w.shares(), w.metadata()), null);
        seed.store(FileStoreParameter.of(file));
        Path metadata = Files.write(dir.resolve("metadata.json"), w.metadata());
        Path shares = Files.write(dir.resolve("shares.json"), w.shares());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Processes.Result>> runs = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            List<String> cmd = List.of(Processes.jdkTool("java"), "-cp", System.getProperty("java.class.path"),
                    ConcurrentWriterMain.class.getName(), dev.configFile.toString(), file.toString(), name,
                    String.valueOf(WRITES), metadata.toString(), shares.toString());
            runs.add(pool.submit(() -> Processes.run(cmd, 180)));
        }
        Set<String> acknowledged = new HashSet<>();
        int conflicts = 0;
        for (Future<Processes.Result> f : runs) {
            Processes.Result r = f.get();
            assertEquals(0, r.exitCode(), r.output());
            for (String line : r.output().split("\n")) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.substring(4).trim());
                } else if (line.startsWith("CONFLICTS ")) {
                    conflicts += Integer.parseInt(line.substring(10).trim());
                }
            }
        }
        pool.shutdown();
        assertEquals(2 * WRITES, acknowledged.size(), "every write was acknowledged once");

        KeyStore result = dev.open(Files.readAllBytes(file));
        Set<String> stored = new HashSet<>(Collections.list(result.aliases()));
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertTrue(lost.isEmpty(), "acknowledged writes lost: " + lost + " (" + conflicts + " conflicts were retried)");
        assertEquals(2 * WRITES + 1, stored.size());
        System.out.println("two writers: " + acknowledged.size() + " acknowledged, 0 lost, " + conflicts + " conflicts retried");
    }

    @Test
    void aStaleStoreIsRefusedUnlessOverwriteIsAsked() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Fixtures.Wallet w = Fixtures.WALLETS.get(3);
        Path file = dir.resolve("s.dsks");
        KeyStore first = dev.newStore();
        first.setEntry("one", io.dynamicshare.entry.WalletEntry.of(w.shares(), w.metadata()), null);
        first.store(FileStoreParameter.of(file));

        KeyStore a = KeyStore.getInstance("DynamicShareKeyStore", dev.provider);
        a.load(FileStoreParameter.of(file));
        KeyStore b = KeyStore.getInstance("DynamicShareKeyStore", dev.provider);
        b.load(FileStoreParameter.of(file));
        a.setEntry("from-a", io.dynamicshare.entry.WalletEntry.of(w.shares(), w.metadata()), null);
        a.store(FileStoreParameter.of(file));
        b.setEntry("from-b", io.dynamicshare.entry.WalletEntry.of(w.shares(), w.metadata()), null);
        StoreConflictException e = assertThrows(StoreConflictException.class, () -> b.store(FileStoreParameter.of(file)));
        Asserts.assertContains(e.getMessage(), file.getFileName().toString(), "load it again", "overwrite()");

        KeyStore fresh = dev.newStore();
        assertThrows(StoreConflictException.class, () -> fresh.store(FileStoreParameter.of(file)),
                "a new store never silently replaces an existing file");

        b.store(FileStoreParameter.of(file).overwrite());
        KeyStore after = dev.open(Files.readAllBytes(file));
        assertTrue(after.containsAlias("from-b"));
        assertTrue(!after.containsAlias("from-a"), "overwrite is what it says");
        assertEquals(0, Files.list(dir).filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
    }
}
