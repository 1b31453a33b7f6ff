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

/** {@code update-metadata} and {@code replace}: the SDK's mutating results applied to a stored wallet. */
class UpdateIT {
    static final String ALIAS = Fixtures.EVM_ADDRESS;

    @TempDir
    static Path shared;
    static DevKek kek;

    @TempDir
    Path work;
    Path store;

    @BeforeAll
    static void kek() throws Exception {
        kek = DevKek.create(shared, "upd");
    }

    @BeforeEach
    void seed() throws Exception {
        store = kek.seed(work.resolve("wallets.dsks"), "evm-2of2");
    }

    private Cli.Result run(String... command) {
        return Cli.in(work).run(kek.args(store, command));
    }

    private JsonNode revealed() {
        return run("show", ALIAS, "--reveal", "--yes", "--json").expect(0).json();
    }

    private static String dynamicKeyShareId(JsonNode shown) {
        return shown.get("walletMetadata").get("externalServerKeySharesBackupInfo").get("backups").get("dynamic")
                .get(0).get("keyShareId").asText();
    }

    @Test
    void updateMetadataMergesTheNewBackupInfoAndKeepsTheShares() {
        String newId = Fixtures.tree("evm-2of2/update-password.return.json").get("backupInfo").get("backups")
                .get("dynamic").get(0).get("keyShareId").asText();
        String oldShare = Fixtures.secretShares("evm-2of2/server-key-shares.json").get(0);

        Cli.Result r = run("update-metadata", ALIAS, "--update-password-return",
                Fixtures.path("evm-2of2/update-password.return.json").toString()).expect(0);
        assertTrue(r.out().contains(newId), r.out());

        JsonNode shown = revealed();
        assertEquals(newId, dynamicKeyShareId(shown));
        assertFalse(shown.get("walletMetadata").toString().contains("dbe13c31-ee5a-45ae-bebe-4e33d8c6d1d2"));
        assertEquals(oldShare, shown.get("externalServerKeyShares").get(0).get("secretShare").asText());
    }

    @Test
    void replaceAppliesARefreshToSharesAndBackupInfoTogether() {
        JsonNode refresh = Fixtures.tree("evm-2of2/refresh-wallet-account-shares.return.json");
        String newShare = Fixtures.secretShares(refresh).get(0);

        Cli.Result r = run("replace", ALIAS, "--result",
                Fixtures.path("evm-2of2/refresh-wallet-account-shares.return.json").toString()).expect(0);
        assertFalse(r.all().contains(newShare.substring(0, 32)), "replace must not print the shares");

        JsonNode shown = revealed();
        assertEquals(newShare, shown.get("externalServerKeyShares").get(0).get("secretShare").asText());
        assertEquals(refresh.get("backupInfo").get("backups").get("dynamic").get(0).get("keyShareId").asText(),
                dynamicKeyShareId(shown));
        assertEquals("TWO_OF_TWO", shown.get("thresholdSignatureScheme").asText());
    }

    @Test
    void replaceWithSchemeAppliesAReshare() throws Exception {
        ObjectNode reshare = Cli.JSON.createObjectNode();
        reshare.set("externalServerKeyShares", Fixtures.tree("evm-2of3/server-key-shares.json"));
        reshare.set("backupInfo", Fixtures.tree("evm-2of3/wallet-metadata.json").get("externalServerKeySharesBackupInfo"));
        Path file = work.resolve("reshare.return.json");
        Files.write(file, Cli.JSON.writeValueAsBytes(reshare));

        run("replace", ALIAS, "--result", file.toString(), "--scheme", "TWO_OF_THREE").expect(0);
        JsonNode shown = revealed();
        assertEquals("TWO_OF_THREE", shown.get("thresholdSignatureScheme").asText());
        assertEquals(2, shown.get("externalServerKeyShares").size());
    }

    @Test
    void aRejectedReshareLeavesTheWalletAsItWas() {
        String refresh = Fixtures.path("evm-2of2/refresh-wallet-account-shares.return.json").toString();
        // One share cannot be a TWO_OF_THREE wallet: the whole update is refused.
        run("replace", ALIAS, "--result", refresh, "--scheme", "TWO_OF_THREE").expectError(ExitCodes.USAGE, "expects 2");
        run("replace", ALIAS, "--result", refresh, "--scheme", "TWO_OF_NINE").expectError(ExitCodes.USAGE, "TWO_OF_NINE");

        JsonNode shown = revealed();
        assertEquals("TWO_OF_TWO", shown.get("thresholdSignatureScheme").asText());
        assertEquals("dbe13c31-ee5a-45ae-bebe-4e33d8c6d1d2", dynamicKeyShareId(shown));
        assertEquals(Fixtures.secretShares("evm-2of2/server-key-shares.json").get(0),
                shown.get("externalServerKeyShares").get(0).get("secretShare").asText());
    }

    @Test
    void updatesOfAnUnknownAliasExit3() {
        run("update-metadata", "0xnobody", "--update-password-return",
                Fixtures.path("evm-2of2/update-password.return.json").toString())
                .expectError(ExitCodes.NOT_FOUND, "0xnobody");
        run("replace", "0xnobody", "--result",
                Fixtures.path("evm-2of2/refresh-wallet-account-shares.return.json").toString())
                .expectError(ExitCodes.NOT_FOUND, "0xnobody");
    }
}
