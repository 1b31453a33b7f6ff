package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The no-cloud demo, end to end, and the store it leaves behind. */
class QuickstartIT {
    @TempDir
    Path work;

    @Test
    void quickstartImportsListsReadsBackAndRejectsTheTamperedCopy() throws Exception {
        Cli.Result r = Cli.in(work).run("quickstart", "--dir", "qs").expect(0);

        for (String sample : Fixtures.SAMPLES) {
            assertTrue(r.out().contains("sample " + sample), () -> sample + " missing from:\n" + r.out());
        }
        for (String address : List.of(Fixtures.EVM_ADDRESS, Fixtures.EVM_2OF3_ADDRESS, Fixtures.BTC_ADDRESS,
                Fixtures.SVM_ADDRESS)) {
            assertTrue(r.out().contains(address), address);
        }
        assertTrue(r.out().contains("NOT FOR PRODUCTION"), r.out());
        assertWarnedOnce(r);
        assertTrue(r.out().contains("rejected on load"), r.out());
        assertTrue(r.out().contains("the store failed its integrity check"), r.out());
        byte[] evmShares = sampleShares("evm-2of2");
        assertTrue(r.out().contains(evmShares.length + " bytes of key shares, sha256 " + sha256(evmShares)), r.out());
        assertNoSecretShare(r);

        Path qs = work.resolve("qs");
        assertTrue(Files.isRegularFile(qs.resolve("wallets.dsks")));
        assertTrue(Files.isRegularFile(qs.resolve("wallets-tampered.dsks")));
        assertTrue(Files.readString(qs.resolve("dynamicshare.properties")).contains("kek=devkek:quickstart"));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(qs.resolve("devkek.password"))));
        }

        // The store it made is a normal store: the other commands work on it, the tampered copy fails.
        Cli.in(work).run("verify", "--config", "qs/dynamicshare.properties", "--store", "qs/wallets.dsks").expect(0);
        Cli.in(work).run("verify", "--config", "qs/dynamicshare.properties", "--store", "qs/wallets-tampered.dsks")
                .expectError(ExitCodes.INTEGRITY, "integrity check");
    }

    @Test
    void rerunReusesTheDirectoryAndPrintsJson() throws Exception {
        Cli.in(work).run("quickstart", "--dir", "qs").expect(0);
        byte[] kekBefore = Files.readAllBytes(work.resolve("qs/devkek.p12"));

        Cli.Result again = Cli.in(work).run("quickstart", "--dir", "qs", "--json").expect(0);
        JsonNode j = again.json();
        assertFalse(j.get("createdKek").asBoolean());
        assertEquals(4, j.get("wallets").size());
        assertTrue(j.get("tamper").get("rejected").asBoolean());
        assertTrue(j.get("tamper").get("error").asText().contains("integrity check"));
        assertEquals(sampleShares("evm-2of2").length, j.get("readBack").get("shareBytes").asInt());
        assertTrue(again.err().contains("reusing"), again.err());
        assertTrue(again.err().contains("already in the store"), again.err());
        assertTrue(again.err().contains("NOT FOR PRODUCTION"), again.err());
        assertWarnedOnce(again);
        assertNoSecretShare(again);
        assertTrue(java.util.Arrays.equals(kekBefore, Files.readAllBytes(work.resolve("qs/devkek.p12"))),
                "the KEK must be reused, not replaced");
    }

    @Test
    void incompleteDirectoryIsRefused() throws Exception {
        Files.createDirectories(work.resolve("qs"));
        Files.writeString(work.resolve("qs/dynamicshare.properties"), "kek=devkek:quickstart\n");
        Cli.in(work).run("quickstart", "--dir", "qs").expectError(ExitCodes.FAILED, "incomplete quickstart");
    }

    /**
     * The development-KEK warning is said exactly once in everything the run printed (stdout and stderr):
     * neither repeated by the command nor doubled by the library's own log line.
     */
    private static void assertWarnedOnce(Cli.Result r) {
        String all = r.all().toLowerCase(java.util.Locale.ROOT);
        for (String phrase : List.of("local development kek", "not for production")) {
            int n = all.split(java.util.regex.Pattern.quote(phrase), -1).length - 1;
            assertEquals(1, n, () -> "'" + phrase + "' " + n + " times in:\n--- stdout:\n" + r.out()
                    + "\n--- stderr:\n" + r.err());
        }
    }

    private static void assertNoSecretShare(Cli.Result r) {
        List<String> secrets = Fixtures.sampleSecretShares();
        assertEquals(5, secrets.size(), "the four samples hold five shares");
        for (String secret : secrets) {
            // A prefix too: a truncated share in a message would be a leak as well.
            assertFalse(r.all().contains(secret.substring(0, 32)), "a secretShare was printed");
        }
    }

    private static byte[] sampleShares(String sample) throws Exception {
        try (InputStream in = QuickstartIT.class.getResourceAsStream("/samples/" + sample + "/server-key-shares.json")) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
