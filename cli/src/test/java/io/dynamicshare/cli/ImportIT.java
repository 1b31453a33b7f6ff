package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code import} in each of its forms, and the wallets it must refuse. */
class ImportIT {
    @TempDir
    static Path shared;
    static DevKek kek;

    @TempDir
    Path work;
    Path store;

    @BeforeAll
    static void kek() throws Exception {
        kek = DevKek.create(shared, "imp");
    }

    @BeforeEach
    void store() {
        store = work.resolve("wallets.dsks"); // not there yet: import creates it
    }

    private Cli.Result run(String... command) {
        return Cli.in(work).run(kek.args(store, command));
    }

    private Cli.Result runWithStdin(byte[] stdin, String... command) {
        return Cli.in(work).stdin(stdin).run(kek.args(store, command));
    }

    private JsonNode show(String alias) {
        return run("show", alias, "--json").expect(0).json();
    }

    @Test
    void createWalletAccountReturnCreatesTheStore() {
        assertFalse(Files.exists(store));
        Cli.Result r = run("import", "--create-return", Fixtures.path("evm-2of2/create-wallet-account.return.json")
                .toString()).expect(0);
        assertTrue(r.out().contains("imported '" + Fixtures.EVM_ADDRESS + "'"), r.out());
        assertTrue(Files.isRegularFile(store));
        for (String secret : Fixtures.secretShares("evm-2of2/server-key-shares.json")) {
            assertFalse(r.all().contains(secret.substring(0, 32)));
        }
        JsonNode list = run("list", "--json").expect(0).json();
        assertEquals(1, list.get("count").asInt());
        assertEquals("b22393f2-22a6-462a-99cc-1c0bab02c7b4", list.get("wallets").get(0).get("walletId").asText());
    }

    @Test
    void metadataAndSharesFilesUnderAnExplicitAlias() {
        Cli.Result r = run("import", "--alias", "treasury", "--json",
                "--metadata", Fixtures.path("evm-2of3/wallet-metadata.json").toString(),
                "--shares", Fixtures.path("evm-2of3/server-key-shares.json").toString()).expect(0);
        assertEquals("treasury", r.json().get("wallet").get("alias").asText());
        JsonNode shown = show("treasury");
        assertEquals("TWO_OF_THREE", shown.get("thresholdSignatureScheme").asText());
        assertEquals(Fixtures.EVM_2OF3_ADDRESS, shown.get("accountAddress").asText());
    }

    @Test
    void snakeCaseWalletProperties() {
        run("import", "--metadata", Fixtures.path("evm-2of2-snake/wallet-properties.json").toString(),
                "--shares", Fixtures.path("evm-2of2/server-key-shares.json").toString()).expect(0);
        JsonNode shown = show(Fixtures.EVM_ADDRESS);
        assertEquals(Fixtures.EVM_ADDRESS, shown.get("accountAddress").asText()); // attributes are camelCase
        assertEquals("b22393f2-22a6-462a-99cc-1c0bab02c7b4", shown.get("walletMetadata").get("wallet_id").asText());
    }

    @Test
    void snakeCaseCreateReturnFromStdin() throws Exception {
        ObjectNode ret = Cli.JSON.createObjectNode();
        ret.set("wallet_metadata", Fixtures.tree("evm-2of2-snake/wallet-properties.json"));
        ret.set("external_server_key_shares", Fixtures.tree("evm-2of2/server-key-shares.json"));
        runWithStdin(Cli.JSON.writeValueAsBytes(ret), "import", "--stdin").expect(0);
        assertEquals("EVM", show(Fixtures.EVM_ADDRESS).get("chainName").asText());
    }

    @Test
    void createReturnFromStdinWithDash() {
        runWithStdin(Fixtures.bytes("svm-2of2/create-wallet-account.return.json"), "import", "--create-return", "-")
                .expect(0);
        JsonNode w = run("list", "--json").expect(0).json().get("wallets").get(0);
        assertEquals(Fixtures.SVM_ADDRESS, w.get("alias").asText());
        assertEquals("SVM", w.get("chainName").asText());
    }

    @Test
    void identityOnlyMetadataNeedsTheFlag() {
        String metadata = Fixtures.path("identity-only/evm-fetch-wallet-metadata.json").toString();
        String shares = Fixtures.path("evm-2of2/server-key-shares.json").toString();
        Cli.Result refused = run("import", "--metadata", metadata, "--shares", shares)
                .expectError(ExitCodes.USAGE, "identity-only metadata");
        assertTrue(refused.err().contains("--allow-identity-only"), refused.err());
        assertFalse(Files.exists(store), "a refused import must not create the store");

        run("import", "--metadata", metadata, "--shares", shares, "--allow-identity-only").expect(0);
        assertTrue(show(Fixtures.EVM_ADDRESS).get("identityOnlyAllowed").asBoolean());
    }

    @Test
    void btcWithoutAddressTypeIsRefusedInTheSdksWords() throws Exception {
        ObjectNode metadata = Fixtures.object("btc-taproot-2of2/wallet-metadata.json");
        metadata.remove("addressType");
        Path file = work.resolve("btc-no-address-type.json");
        Files.write(file, Cli.JSON.writeValueAsBytes(metadata));
        run("import", "--metadata", file.toString(),
                "--shares", Fixtures.path("btc-taproot-2of2/server-key-shares.json").toString())
                .expectError(ExitCodes.USAGE,
                        "addressType is required for BTC. Please provide addressType (taproot or native_segwit).");
        assertFalse(Files.exists(store));
    }

    @Test
    void anAliasInUseIsNotOverwritten() {
        String ret = Fixtures.path("evm-2of2/create-wallet-account.return.json").toString();
        run("import", "--create-return", ret).expect(0);
        run("import", "--create-return", ret).expectError(ExitCodes.FAILED, "already exists");
    }

    @Test
    void aNewStoreNeedsAKek() throws Exception {
        Path noKek = work.resolve("no-kek.properties");
        Files.writeString(noKek, "application=cli-it\n");
        Cli.in(work).run("import", "--create-return", Fixtures.path("evm-2of2/create-wallet-account.return.json")
                        .toString(), "--config", noKek.toString(), "--store", store.toString())
                .expectError(ExitCodes.USAGE, "set 'kek'");
    }

    @Test
    void missingInputIsAUsageError() {
        run("import", "--create-return", work.resolve("nope.json").toString())
                .expectError(ExitCodes.USAGE, "no such file");
        run("import", "--metadata", "m.json").expectError(ExitCodes.USAGE, "--shares");
    }
}
