package io.dynamicshare.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --help} everywhere, with the exit codes, and usage errors. */
class HelpIT {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"quickstart", "import", "list", "show", "update-metadata", "replace", "rewrap",
            "rekey", "inventory", "verify", "delete", "rotate-branch-key"})
    void everyCommandHasHelp(String command) {
        String out = Cli.in(work).run(command, "--help").expect(0).out();
        assertTrue(out.startsWith("Usage: dynamicshare " + command), out);
        assertTrue(out.contains("Exit codes:"), out);
        assertTrue(out.contains("Store integrity failure"), out);
        assertTrue(out.contains("Alias or store not found"), out);
    }

    @Test
    void topLevelHelpListsTheCommands() {
        String out = Cli.in(work).run("--help").expect(0).out();
        for (String c : new String[] {"quickstart", "import", "list", "show", "update-metadata", "replace", "rewrap",
                "rekey", "inventory", "verify", "delete", "rotate-branch-key"}) {
            assertTrue(out.contains("  " + c + " ") || out.contains("  " + c + "\n"), c);
        }
        assertTrue(out.contains("Exit codes:"), out);
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        Cli.in(work).run().expectError(ExitCodes.USAGE, "missing command");
        Cli.in(work).run("list", "--no-such-option").expectError(ExitCodes.USAGE, "--no-such-option");
        Cli.in(work).run("show").expectError(ExitCodes.USAGE, "ALIAS");
        Cli.in(work).run("rewrap", "--batch", "0").expectError(ExitCodes.USAGE, "--batch");
        Cli.in(work).run("rekey", "--batch", "0").expectError(ExitCodes.USAGE, "--batch");
        Cli.in(work).run("list", "--min-generation", "x").expectError(ExitCodes.USAGE, "--min-generation");
    }

    @Test
    void rekeyHelpSaysHowItDiffersFromRewrapAndPointsToTheRunbook() {
        String out = Cli.in(work).run("rekey", "--help").expect(0).out().replaceAll("\\s+", " ");
        assertTrue(out.contains("fresh store key") && out.contains("fresh data key"), out);
        assertTrue(out.contains("Unlike 'rewrap'"), out);
        assertTrue(out.contains("'Compromise runbook'"), out);
        assertTrue(out.contains("--min-generation"), out);
        String rewrap = Cli.in(work).run("rewrap", "--help").expect(0).out().replaceAll("\\s+", " ");
        assertTrue(rewrap.contains("use 'rekey' instead"), rewrap);
        assertFalse(rewrap.contains("store's own KEK"), "a store never chooses its KEK: " + rewrap);
    }
}
