package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicshare.audit.JulAuditSink;
import io.dynamicshare.cache.DataKeyCache;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.KekResolver;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** verify, inventory, rewrap and delete. */
class MaintenanceIT {
    @TempDir
    static Path shared;
    static DevKek kek;

    @TempDir
    Path work;

    @BeforeAll
    static void kek() throws Exception {
        kek = DevKek.create(shared, "mnt");
    }

    private Cli.Result run(Path store, String... command) {
        return Cli.in(work).run(kek.args(store, command));
    }

    @Test
    void hierarchicalModeRewrapRotateBranchKeyAndInventory() throws Exception {
        Path store = kek.seed(work.resolve("w.dsks"), "evm-2of2", "svm-2of2");
        // Beside the KEK's own configuration, so that its relative devkek paths resolve the same way.
        Path hier = shared.resolve("hier-" + work.getFileName() + ".properties");
        java.nio.file.Files.writeString(hier, java.nio.file.Files.readString(kek.config) + "kek.mode=hierarchical\n");
        Cli cli = Cli.in(work);
        cli.run(List.of("rewrap", "--config", hier.toString(), "--store", store.toString())).expect(0);
        String out = cli.run(List.of("rotate-branch-key", "--config", hier.toString(), "--store", store.toString()))
                .expect(0).out();
        assertTrue(out.contains("branch key version 2 is active"), out);
        JsonNode inv = cli.run(List.of("inventory", "--json", "--config", hier.toString(), "--store",
                store.toString())).expect(0).json();
        assertEquals("hierarchical", inv.get("kekMode").asText());
        assertEquals(2, inv.get("activeBranchKeyVersion").asInt());
        assertEquals(2, inv.get("branchKeys").get("v1").get("entries").asInt(), inv.toString());
        assertEquals(0, inv.get("branchKeys").get("v2").get("entries").asInt(), inv.toString());
        assertTrue(inv.get("entriesByKek").isEmpty(), "no entry is wrapped by the KEK itself: " + inv);
        String text = cli.run(List.of("inventory", "--config", hier.toString(), "--store", store.toString()))
                .expect(0).out();
        assertTrue(text.contains("branch key v2 (active): 0 entries; wrapped by devkek:mnt/v1"), text);
        run(store, "rotate-branch-key").expectError(ExitCodes.FAILED, "direct mode");
        assertTrue(run(store, "verify").expect(0).out().contains("2 of 2 entries open"), "direct mode reads them");
    }

    @Test
    void verifyOpensEveryEntry() throws Exception {
        Path store = kek.seed(work.resolve("w.dsks"), "evm-2of2", "evm-2of3", "svm-2of2");
        assertTrue(run(store, "verify").expect(0).out().contains("3 of 3 entries open"));
        JsonNode j = run(store, "verify", "--json").expect(0).json();
        assertTrue(j.get("ok").asBoolean());
        assertEquals(3, j.get("entries").asInt());
    }

    @Test
    void verifyRejectsATamperedStoreWithExit4() throws Exception {
        Path store = kek.seed(work.resolve("w.dsks"), "evm-2of2", "svm-2of2");
        Path bad = DevKek.tamperedCopy(store, work.resolve("bad.dsks"));
        run(bad, "verify").expectError(ExitCodes.INTEGRITY, "the store failed its integrity check");
    }

    /**
     * A store whose MAC key and first entry use this KEK but whose second entry was wrapped by another one:
     * the store loads, and verify names exactly the entry that cannot be opened.
     */
    @Test
    void verifyNamesEachEntryThatDoesNotOpen() throws Exception {
        LocalDevKek good = LocalDevKek.open(kek.kekFile, DevKek.PASSWORD.toCharArray());
        LocalDevKek other = LocalDevKek.create(work.resolve("other.p12"), DevKek.PASSWORD.toCharArray(), "other",
                WrapAlgorithm.AES_KW_256);
        Properties p = new Properties();
        p.setProperty("kek", other.keyName());
        KekResolver both = ref -> ref.startsWith(other.keyName()) ? other : good;
        StoreContext ctx = new StoreContext(StoreConfig.of(p, work, "two KEKs"), both, new DataKeyCache(10, 60_000),
                new JulAuditSink());
        DynamicShareKeyStore ks = new DynamicShareProvider(ctx).newKeyStore();
        ks.load(null, null);
        for (String f : List.of("evm-2of2", "svm-2of2")) {
            ks.setEntry(Cli.JSON.readTree(Fixtures.bytes(f + "/wallet-metadata.json")).get("accountAddress").asText(),
                    WalletEntry.of(Fixtures.bytes(f + "/server-key-shares.json"), Fixtures.bytes(f + "/wallet-metadata.json")),
                    null);
        }
        Path store = work.resolve("mixed.dsks");
        ks.store(FileStoreParameter.of(store));
        // Moving to another key means configuring it: kek=good, the old key allowed for reading.
        Properties moved = new Properties();
        moved.setProperty("kek", good.keyName());
        moved.setProperty("kek.allow", other.keyName());
        DynamicShareKeyStore ks2 = new DynamicShareProvider(new StoreContext(StoreConfig.of(moved, work, "moved"), both,
                new DataKeyCache(10, 60_000), new JulAuditSink())).newKeyStore();
        ks2.load(FileStoreParameter.of(store));
        assertEquals(1, ks2.rewrap(null, 1)); // the store key and the EVM entry move; SVM stays on "other"
        ks2.store(FileStoreParameter.of(store));

        Cli.Result r = run(store, "verify").expectError(ExitCodes.FAILED, Fixtures.SVM_ADDRESS);
        assertTrue(r.out().contains("FAILED " + Fixtures.SVM_ADDRESS), r.out());
        assertFalse(r.err().contains(Fixtures.EVM_ADDRESS), r.err());
        JsonNode j = run(store, "verify", "--json").expect(ExitCodes.FAILED).json();
        assertFalse(j.get("ok").asBoolean());
        assertTrue(j.get("failures").has(Fixtures.SVM_ADDRESS));
        assertEquals(1, j.get("failures").size());
    }

    @Test
    void inventoryShowsKekVersionsAndTheStoreKek() throws Exception {
        Path store = kek.seed(work.resolve("w.dsks"), "evm-2of2", "btc-taproot-2of2");
        JsonNode j = run(store, "inventory", "--json").expect(0).json();
        assertEquals(2, j.get("entriesByKek").get("devkek:mnt/v1").asInt());
        assertEquals(1, j.get("entriesByKek").size());
        assertEquals("devkek:mnt/v1", j.get("storeKek").asText());
        String text = run(store, "inventory").expect(0).out();
        assertTrue(text.contains("store key wrapped by: devkek:mnt/v1"), text);
    }

    @Test
    void rewrapMovesEverythingToTheNewKekVersionBatchByBatch() throws Exception {
        DevKek own = DevKek.create(work, "rw"); // rotated below: not shared with the other tests
        Path store = own.seed(work.resolve("w.dsks"), "evm-2of2", "btc-taproot-2of2", "svm-2of2");
        own.rotate();

        Cli.Result r = Cli.in(work).run(own.args(store, "rewrap", "--batch", "1")).expect(0);
        List<String> bars = new ArrayList<>(r.err().lines().filter(l -> l.startsWith("[")).toList());
        assertEquals(List.of("0/3", "1/3", "2/3", "3/3"), bars.stream().map(l -> l.substring(l.indexOf("] ") + 2)).toList(),
                r.err());
        assertEquals("[" + "=".repeat(30) + "] 3/3", bars.get(3));
        assertTrue(r.out().contains("rewrapped 3 of 3 entries to devkek:rw/v2"), r.out());

        JsonNode inv = Cli.in(work).run(own.args(store, "inventory", "--json")).expect(0).json();
        assertEquals(1, inv.get("entriesByKek").size(), inv.toString());
        assertEquals(3, inv.get("entriesByKek").get("devkek:rw/v2").asInt());
        assertEquals("devkek:rw/v2", inv.get("storeKek").asText());
        assertEquals(List.of("devkek:rw/v2"), List.of(inv.get("versionsInUse").get(0).asText()));
        assertEquals(1, inv.get("versionsInUse").size());
        Cli.in(work).run(own.args(store, "verify")).expect(0);

        JsonNode again = Cli.in(work).run(own.args(store, "rewrap", "--json")).expect(0).json();
        assertEquals(0, again.get("rewrapped").asInt());
    }

    @Test
    void rewrapResumesAnInterruptedRun() throws Exception {
        DevKek own = DevKek.create(work, "rs");
        Path store = own.seed(work.resolve("w.dsks"), "evm-2of2", "btc-taproot-2of2", "svm-2of2");
        own.rotate();
        DynamicShareKeyStore ks = own.newKeyStore(); // a run that stopped after its first batch
        ks.load(FileStoreParameter.of(store));
        assertEquals(2, ks.rewrap(null, 1));
        ks.store(FileStoreParameter.of(store));

        JsonNode j = Cli.in(work).run(own.args(store, "rewrap", "--json")).expect(0).json();
        assertEquals(2, j.get("rewrapped").asInt());
        assertEquals(0, j.get("remaining").asInt());
        assertEquals("devkek:rs/v2", j.get("storeKek").asText());
    }

    @Test
    void deleteNeedsConfirmationAndThenRemovesTheWallet() throws Exception {
        Path store = kek.seed(work.resolve("w.dsks"), "evm-2of2", "svm-2of2");
        run(store, "delete", Fixtures.EVM_ADDRESS).expectError(ExitCodes.USAGE, "--yes");
        assertEquals(2, run(store, "list", "--json").expect(0).json().get("count").asInt());

        run(store, "delete", Fixtures.EVM_ADDRESS, "--yes").expect(0);
        JsonNode list = run(store, "list", "--json").expect(0).json();
        assertEquals(1, list.get("count").asInt());
        assertEquals(Fixtures.SVM_ADDRESS, list.get("wallets").get(0).get("alias").asText());
        run(store, "delete", Fixtures.EVM_ADDRESS, "--yes").expectError(ExitCodes.NOT_FOUND, Fixtures.EVM_ADDRESS);
    }
}
