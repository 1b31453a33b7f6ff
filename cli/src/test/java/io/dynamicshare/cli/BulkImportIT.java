package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code import --dir}: a directory of SDK results, resumable, with per-file failures that stop nothing else. */
class BulkImportIT {
    @TempDir
    static Path shared;
    static DevKek kek;

    @TempDir
    Path work;

    @BeforeAll
    static void kek() throws Exception {
        kek = DevKek.create(shared, "bulk");
    }

    private Cli.Result run(Path store, String... command) {
        return Cli.in(work).run(kek.args(store, command));
    }

    private Path sdkResults() throws Exception {
        return Fixtures.sdkResults(work.resolve("results"));
    }

    @Test
    void importsEveryResultThenAResumeSkipsThemAll() throws Exception {
        Path dir = sdkResults();
        Path store = work.resolve("wallets.dsks");
        Cli.Result first = run(store, "import", "--dir", dir.toString(), "--batch", "3", "--json").expect(0);
        JsonNode r = first.json();
        assertEquals(4, r.get("imported").asInt(), first.all());
        assertEquals(0, r.get("skipped").asInt());
        assertTrue(first.err().contains("4/4"), first.err());
        for (String secret : Fixtures.sampleSecretShares()) {
            assertFalse(first.all().contains(secret.substring(0, 32)));
        }
        assertEquals(4, run(store, "list", "--json").expect(0).json().get("count").asInt());
        byte[] before = Files.readAllBytes(store);

        JsonNode again = run(store, "import", "--dir", dir.toString(), "--json").expect(0).json();
        assertEquals(0, again.get("imported").asInt());
        assertEquals(4, again.get("skipped").asInt());
        assertEquals(4, run(store, "list", "--json").expect(0).json().get("count").asInt());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(store)), "a rerun that adds nothing changes nothing");
    }

    @Test
    void aBadFileIsReportedAndTheOthersAreImported() throws Exception {
        Path dir = sdkResults();
        Files.write(dir.resolve("0-broken.json"), "{\"walletMetadata\": ".getBytes(StandardCharsets.UTF_8));
        Path store = work.resolve("wallets.dsks");
        Cli.Result r = run(store, "import", "--dir", dir.toString()).expect(1);
        assertTrue(r.out().contains("imported 4 of 5 wallets"), r.out());
        assertTrue(r.out().contains("failed: " + dir.resolve("0-broken.json")), r.out());
        assertEquals(4, run(store, "list", "--json").expect(0).json().get("count").asInt());
    }

    @Test
    void aMissingDirectoryIsAUsageError() {
        Cli.Result r = run(work.resolve("wallets.dsks"), "import", "--dir", work.resolve("nope").toString()).expect(2);
        assertTrue(r.err().contains("is not a directory"), r.err());
        assertFalse(Files.exists(work.resolve("wallets.dsks")));
    }
}
