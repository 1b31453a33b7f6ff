package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rekey} (fresh store key and data keys, resumable), {@code --min-generation}, the store state that
 * {@code inventory} and {@code verify} report, and the read-only store. Each test has its own development KEK
 * (AES key wrap: deterministic, so a changed wrapped data key proves a changed data key).
 */
class RekeyIT {
    private static final String[] WALLETS = {"evm-2of2", "btc-taproot-2of2", "svm-2of2"};
    private static final String FULL_BAR = "[" + "=".repeat(30) + "] ";

    @TempDir
    Path work;
    DevKek kek;
    Path store;
    String version;

    @BeforeEach
    void seed() throws Exception {
        kek = DevKek.create(work, "rk");
        store = kek.seed(work.resolve("w.dsks"), WALLETS);
        version = "devkek:rk/v1";
    }

    private Cli.Result run(String... command) {
        return Cli.in(work).run(kek.args(store, command));
    }

    private JsonNode inventory() {
        return run("inventory", "--json").expect(0).json();
    }

    @Test
    void rekeyReSealsEveryEntryUnderFreshDataKeysAndANewKeyEpoch() throws Exception {
        byte[] before = StoreBytes.read(store);
        List<String> keysBefore = StoreBytes.wrappedDataKeys(before, version);
        assertEquals(3, new HashSet<>(keysBefore).size(), keysBefore::toString);
        Map<String, String> ciphertextsBefore = ciphertexts(before);
        JsonNode inv = inventory();
        assertEquals(1, inv.get("keyEpoch").asLong());
        assertEquals(0, inv.get("entriesBehindKeyEpoch").asInt());
        long generation = inv.get("generation").asLong();

        Cli.Result r = run("rekey").expect(0);
        assertEquals(List.of("0/3", "3/3"), progress(r.err()), r.err());
        assertTrue(r.out().contains("new store key at key epoch 2 (was 1); re-sealed 3 of 3 entries with fresh data "
                + "keys"), r.out());
        assertTrue(r.out().contains("wrote generation " + (generation + 1)), r.out());

        byte[] after = StoreBytes.read(store);
        List<String> keysAfter = StoreBytes.wrappedDataKeys(after, version);
        assertEquals(3, new HashSet<>(keysAfter).size(), keysAfter::toString);
        assertTrue(disjoint(keysBefore, keysAfter), "every data key must be new: " + keysBefore + " / " + keysAfter);
        Map<String, String> ciphertextsAfter = ciphertexts(after);
        for (String wallet : WALLETS) {
            assertNotEquals(ciphertextsBefore.get(wallet), ciphertextsAfter.get(wallet), wallet + " not re-encrypted");
        }
        JsonNode now = inventory();
        assertEquals(2, now.get("keyEpoch").asLong());
        assertEquals(0, now.get("entriesBehindKeyEpoch").asInt());
        assertEquals(generation + 1, now.get("generation").asLong());
        assertEquals(inv.get("storeId").asText(), now.get("storeId").asText(), "the store keeps its identity");
        assertEquals(3, now.get("entriesByKek").get(version).asInt());
        assertSharesReadBackUnchanged();
        assertTrue(run("verify").expect(0).out().contains("3 of 3 entries open"));

        JsonNode again = run("rekey", "--json").expect(0).json(); // done: the next rekey starts another epoch
        assertFalse(again.get("resumed").asBoolean());
        assertEquals(2, again.get("previousKeyEpoch").asLong());
        assertEquals(3, again.get("keyEpoch").asLong());
        assertEquals(3, again.get("resealed").asInt());
        assertEquals(generation + 2, again.get("generation").asLong());
        assertTrue(disjoint(keysAfter, StoreBytes.wrappedDataKeys(StoreBytes.read(store), version)));
        assertSharesReadBackUnchanged();
    }

    @Test
    void rekeyStoresAfterEachBatch() throws Exception {
        long generation = inventory().get("generation").asLong();

        Cli.Result r = run("rekey", "--batch", "1").expect(0);
        List<String> bars = r.err().lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(List.of("0/3", "1/3", "2/3", "3/3"), progress(r.err()), r.err());
        assertEquals(FULL_BAR + "3/3", bars.get(3));
        assertTrue(r.out().contains("wrote generation " + (generation + 3)), r.out());
        JsonNode inv = inventory();
        assertEquals(generation + 3, inv.get("generation").asLong(), "one store per batch");
        assertEquals(2, inv.get("keyEpoch").asLong());
        assertEquals(0, inv.get("entriesBehindKeyEpoch").asInt());
        assertSharesReadBackUnchanged();
    }

    /** A run that stopped after its first batch (simulated through the library) is finished, in its own epoch. */
    @Test
    void rekeyResumesAnInterruptedRunInTheSameKeyEpoch() throws Exception {
        List<String> original = StoreBytes.wrappedDataKeys(StoreBytes.read(store), version);
        DynamicShareKeyStore ks = kek.newKeyStore();
        ks.load(FileStoreParameter.of(store));
        assertEquals(2, ks.rekey(1));
        ks.store(FileStoreParameter.of(store));
        List<String> interrupted = StoreBytes.wrappedDataKeys(StoreBytes.read(store), version);
        List<String> resealedFirst = new ArrayList<>(interrupted);
        resealedFirst.removeAll(original);
        assertEquals(1, resealedFirst.size(), "the first batch re-sealed one entry: " + interrupted);

        JsonNode inv = inventory();
        assertEquals(2, inv.get("keyEpoch").asLong());
        assertEquals(2, inv.get("entriesBehindKeyEpoch").asInt());
        String text = run("inventory").expect(0).out();
        assertTrue(text.contains("entries behind the key epoch: 2"), text);
        assertTrue(text.contains("2 entries are not yet re-sealed under key epoch 2: run 'dynamicshare rekey'"), text);

        Cli.Result r = run("rekey", "--json").expect(0);
        assertEquals(List.of("0/2", "2/2"), progress(r.err()), r.err());
        JsonNode j = r.json();
        assertTrue(j.get("resumed").asBoolean());
        assertEquals(2, j.get("resealed").asInt());
        assertEquals(0, j.get("remaining").asInt());
        assertEquals(2, j.get("previousKeyEpoch").asLong());
        assertEquals(2, j.get("keyEpoch").asLong(), "a resumed rekey finishes its epoch, it does not start another");

        List<String> done = StoreBytes.wrappedDataKeys(StoreBytes.read(store), version);
        assertEquals(3, new HashSet<>(done).size());
        assertTrue(done.containsAll(resealedFirst), "the entry re-sealed before the interruption is not redone");
        assertTrue(disjoint(original, done), "no entry keeps its old data key: " + original + " / " + done);
        assertEquals(0, inventory().get("entriesBehindKeyEpoch").asInt());
        assertSharesReadBackUnchanged();
    }

    /** On a real pseudo-terminal the bar is redrawn in place: carriage returns, no newline between updates. */
    @Test
    void rekeyProgressBarIsRedrawnInPlaceOnATerminal() throws Exception {
        Cli.Result r = Cli.in(work).runInTerminal(kek.args(store, "rekey", "--batch", "1")).expect(0);
        String tty = r.out();
        for (int done = 0; done < 3; done++) {
            assertTrue(tty.contains("] " + done + "/3\r["), () -> "in-place updates expected in: " + visible(tty));
        }
        assertTrue(tty.contains("\r" + FULL_BAR + "3/3"), () -> visible(tty));
        assertFalse(tty.contains("/3\n[") || tty.contains("/3\r\n["), () -> "one line per update: " + visible(tty));
        assertTrue(tty.contains("new store key at key epoch 2"), () -> visible(tty));
        assertEquals(2, inventory().get("keyEpoch").asLong());

        // The same command without a terminal prints one line per update and no carriage return.
        Cli.Result piped = run("rekey", "--batch", "1").expect(0);
        assertEquals(List.of("0/3", "1/3", "2/3", "3/3"), progress(piped.err()), piped.err());
        assertFalse(piped.err().contains("\r"), piped.err());
    }

    @Test
    void minGenerationRefusesARolledBackFileWithExit4() throws Exception {
        Path old = Files.copy(store, work.resolve("old-copy.dsks"));
        long oldGeneration = inventory().get("generation").asLong();
        run("delete", Fixtures.EVM_ADDRESS, "--yes").expect(0);
        long generation = inventory().get("generation").asLong();
        assertEquals(oldGeneration + 1, generation);
        String min = String.valueOf(generation);
        assertEquals(2, run("list", "--json", "--min-generation", min).expect(0).json().get("count").asInt());

        Files.copy(old, store, StandardCopyOption.REPLACE_EXISTING); // someone puts the old copy back
        byte[] rolledBack = StoreBytes.read(store);
        String refusal = "older than the lowest acceptable generation " + generation;
        run("list", "--min-generation", min).expectError(ExitCodes.INTEGRITY, refusal);
        run("verify", "--json", "--min-generation", min).expectError(ExitCodes.INTEGRITY, refusal);
        run("inventory", "--min-generation", min).expectError(ExitCodes.INTEGRITY, "at generation " + oldGeneration);
        run("rekey", "--min-generation", min).expectError(ExitCodes.INTEGRITY, refusal);
        assertArrayEquals(rolledBack, StoreBytes.read(store), "a refused store is not written");

        // Without the floor the genuine old copy loads, deleted wallet and all: what the option is for.
        JsonNode list = run("list", "--json", "--min-generation", String.valueOf(oldGeneration)).expect(0).json();
        assertEquals(3, list.get("count").asInt());
        run("list", "--min-generation", "-1").expectError(ExitCodes.USAGE, "--min-generation must be 0 or more");
        Cli.in(work).run(kek.args(work.resolve("gone.dsks"), "import", "--min-generation", "1", "--create-return",
                Fixtures.path("evm-2of2/create-wallet-account.return.json").toString()))
                .expectError(ExitCodes.NOT_FOUND, "not creating a new store");
        assertFalse(Files.exists(work.resolve("gone.dsks")));
    }

    @Test
    void inventoryAndVerifyReportGenerationKeyEpochAndStoreId() {
        JsonNode inv = inventory();
        long generation = inv.get("generation").asLong();
        String storeId = inv.get("storeId").asText();
        assertTrue(storeId.matches("[0-9a-f]{32}"), storeId);
        assertEquals(2, inv.get("formatRead").asInt());
        assertEquals(0, inv.get("entriesWithoutKeyCommitment").asInt());
        String text = run("inventory").expect(0).out();
        for (String line : List.of("store id: " + storeId, "generation: " + generation, "key epoch: 1",
                "format read: 2", "entries without key commitment: 0", "entries behind the key epoch: 0",
                "store key wrapped by: " + version)) {
            assertTrue(text.contains(line), () -> line + " missing from:\n" + text);
        }
        assertEquals(generation, inventory().get("generation").asLong(), "reading does not write");

        run("delete", Fixtures.SVM_ADDRESS, "--yes").expect(0);
        assertEquals(generation + 1, inventory().get("generation").asLong());
        run("rekey", "--batch", "1").expect(0); // two entries left: two batches, two stores
        assertEquals(generation + 3, inventory().get("generation").asLong());

        JsonNode v = run("verify", "--json").expect(0).json();
        assertEquals(generation + 3, v.get("generation").asLong());
        assertEquals(2, v.get("keyEpoch").asLong());
        assertEquals(storeId, v.get("storeId").asText());
        assertEquals(2, v.get("formatRead").asInt());
        assertEquals(0, v.get("entriesWithoutKeyCommitment").asInt());
        assertEquals(0, v.get("entriesBehindKeyEpoch").asInt());
        assertTrue(v.get("ok").asBoolean());
        String verified = run("verify").expect(0).out();
        assertTrue(verified.contains("generation: " + (generation + 3)) && verified.contains("key epoch: 2")
                && verified.contains("store id: " + storeId), verified);
    }

    /** Without 'kek' the store can be read (through kek.allow) but rewrap and rekey refuse to write it. */
    @Test
    void withoutAWriteKekRewrapAndRekeyRefuseClearly() throws Exception {
        Path readOnly = work.resolve("read-only.properties");
        Files.writeString(readOnly, "kek.allow=devkek:rk\ndevkek.file=rk.p12\ndevkek.passwordFile=rk.password\n",
                StandardCharsets.UTF_8);
        byte[] before = StoreBytes.read(store);
        List<String> args = List.of("--config", readOnly.toString(), "--store", store.toString());

        Cli.Result inv = Cli.in(work).run(concat(List.of("inventory", "--json"), args)).expect(0);
        assertEquals(3, inv.json().get("entries").asInt());
        for (String command : List.of("rewrap", "rekey")) {
            Cli.in(work).run(concat(List.of(command), args)).expectError(ExitCodes.USAGE,
                    "the store is read-only: no 'kek' is set in the configuration (" + readOnly + ")");
        }
        Cli.in(work).run(concat(List.of("rewrap", "--to", "devkek:rk"), args))
                .expectError(ExitCodes.USAGE, "read-only");
        assertArrayEquals(before, StoreBytes.read(store), "nothing was written");
    }

    /** rewrap only ever wraps with the configured 'kek': --to is a check against it, never another target. */
    @Test
    void rewrapToAnyKeyButTheConfiguredKekIsRefused() {
        byte[] before = StoreBytes.read(store);
        Cli.Result r = run("rewrap", "--to", "devkek:elsewhere").expectError(ExitCodes.USAGE,
                "--to devkek:elsewhere: rewrap only wraps with the configured 'kek' (devkek:rk)");
        assertTrue(r.err().contains("set kek=devkek:elsewhere and list the old key in 'kek.allow'"), r.err());
        assertArrayEquals(before, StoreBytes.read(store), "nothing was written");

        JsonNode j = run("rewrap", "--to", "devkek:rk", "--json").expect(0).json();
        assertEquals(version, j.get("target").asText());
        assertEquals(0, j.get("rewrapped").asInt(), "everything is already on " + version);
    }

    /** Each wallet's shares, read back through the library from the file the CLI wrote, byte for byte. */
    private void assertSharesReadBackUnchanged() throws Exception {
        DynamicShareKeyStore ks = kek.newKeyStore();
        ks.load(FileStoreParameter.of(store));
        for (String wallet : WALLETS) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(alias(wallet), null);
            assertArrayEquals(Fixtures.bytes(wallet + "/server-key-shares.json"), e.getSecretKey().getEncoded(),
                    wallet);
        }
        assertEquals(WALLETS.length, ks.size());
    }

    private static Map<String, String> ciphertexts(byte[] file) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String wallet : WALLETS) {
            m.put(wallet, StoreBytes.ciphertextPrefix(file, Fixtures.bytes(wallet + "/server-key-shares.json").length));
        }
        return m;
    }

    private static String alias(String wallet) {
        return Fixtures.tree(wallet + "/wallet-metadata.json").get("accountAddress").asText();
    }

    /** The "done/total" of each progress line on stderr (no terminal: one line per update). */
    private static List<String> progress(String err) {
        return err.lines().filter(l -> l.startsWith("[")).map(l -> l.substring(l.indexOf("] ") + 2)).toList();
    }

    private static boolean disjoint(List<String> a, List<String> b) {
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        return common.isEmpty();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String visible(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n\n");
    }
}
