package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read-only commands, over one store seeded once (nothing here changes it). */
class ListShowIT {
    @TempDir
    static Path dir;
    static DevKek kek;
    static Path store;
    static String evmSecret;

    @BeforeAll
    static void seed() throws Exception {
        kek = DevKek.create(dir, "ls");
        store = kek.seed(dir.resolve("wallets.dsks"), "evm-2of2", "btc-taproot-2of2", "svm-2of2");
        evmSecret = Fixtures.secretShares("evm-2of2/server-key-shares.json").get(0);
    }

    private static Cli.Result run(String... command) {
        return Cli.in(dir).run(kek.args(store, command));
    }

    @Test
    void listJsonHasEveryWalletsMetadata() {
        JsonNode list = run("list", "--json").expect(0).json();
        assertEquals(3, list.get("count").asInt());
        Map<String, JsonNode> byAlias = new HashMap<>();
        list.get("wallets").forEach(w -> byAlias.put(w.get("alias").asText(), w));
        JsonNode btc = byAlias.get(Fixtures.BTC_ADDRESS);
        assertNotNull(btc, list::toString);
        assertEquals("BTC", btc.get("chainName").asText());
        assertEquals("taproot", btc.get("addressType").asText());
        assertEquals("TWO_OF_TWO", btc.get("thresholdSignatureScheme").asText());
        assertEquals("7258a407-2a23-448e-b57d-c1ecf3fbe11b", btc.get("walletId").asText());
        assertEquals("devkek:ls/v1", btc.get("kekId").asText());
        Instant.parse(btc.get("created").asText());
        assertEquals("SVM", byAlias.get(Fixtures.SVM_ADDRESS).get("chainName").asText());
        assertEquals(Fixtures.EVM_ADDRESS, byAlias.get(Fixtures.EVM_ADDRESS).get("accountAddress").asText());
    }

    @Test
    void listTextIsATable() {
        String out = run("list").expect(0).out();
        assertTrue(out.startsWith("ALIAS"), out);
        assertTrue(out.contains("BTC/taproot"), out);
        assertTrue(out.contains(Fixtures.SVM_ADDRESS), out);
    }

    @Test
    void defaultsComeFromTheEnvironment() {
        Cli.Result r = Cli.in(dir).env(StoreOptions.STORE_ENV, store.toString())
                .env(StoreOptions.CONFIG_ENV, kek.config.toString()).run("list", "--json").expect(0);
        assertEquals(3, r.json().get("count").asInt());
    }

    @Test
    void showPrintsMetadataButNoShares() {
        Cli.Result r = run("show", Fixtures.EVM_ADDRESS, "--json").expect(0);
        JsonNode j = r.json();
        assertEquals("b22393f2-22a6-462a-99cc-1c0bab02c7b4", j.get("walletId").asText());
        assertEquals("dbe13c31-ee5a-45ae-bebe-4e33d8c6d1d2", j.get("walletMetadata")
                .get("externalServerKeySharesBackupInfo").get("backups").get("dynamic").get(0).get("keyShareId").asText());
        assertFalse(r.all().contains("secretShare"), r.out());
        assertFalse(r.all().contains(evmSecret.substring(0, 32)));

        String text = run("show", Fixtures.BTC_ADDRESS).expect(0).out();
        assertTrue(text.contains("addressType:") && text.contains("taproot"), text);
        assertTrue(text.contains("walletMetadata:"), text);
    }

    @Test
    void revealIsRefusedWithoutConfirmation() {
        Cli.Result r = run("show", Fixtures.EVM_ADDRESS, "--reveal").expectError(ExitCodes.USAGE, "--yes");
        assertFalse(r.all().contains(evmSecret.substring(0, 32)), "nothing may be revealed");
    }

    @Test
    void revealWithYesPrintsTheShares() {
        Cli.Result r = run("show", Fixtures.EVM_ADDRESS, "--reveal", "--yes", "--json").expect(0);
        JsonNode shares = r.json().get("externalServerKeyShares");
        assertEquals(1, shares.size());
        assertEquals(evmSecret, shares.get(0).get("secretShare").asText());
        assertEquals(Fixtures.EVM_ADDRESS, r.json().get("accountAddress").asText());

        String text = run("show", Fixtures.EVM_ADDRESS, "--reveal", "--yes").expect(0).out();
        assertTrue(text.contains(evmSecret), "the text form prints the shares too");
    }

    @Test
    void unknownAliasAndMissingStoreExit3() {
        run("show", "0xnot-here").expectError(ExitCodes.NOT_FOUND, "alias '0xnot-here' not found");
        Cli.in(dir).run(kek.args(dir.resolve("missing.dsks"), "list"))
                .expectError(ExitCodes.NOT_FOUND, "no store at");
    }

    @Test
    void aTamperedStoreIsRefusedByEveryCommand() throws Exception {
        Path bad = DevKek.tamperedCopy(store, dir.resolve("tampered-ls.dsks"));
        Cli.in(dir).run(kek.args(bad, "list")).expectError(ExitCodes.INTEGRITY, "integrity check");
        Cli.in(dir).run(kek.args(bad, "show", Fixtures.EVM_ADDRESS)).expectError(ExitCodes.INTEGRITY, "integrity");
    }
}
