package io.dynamicshare.cli;

import io.dynamicshare.escrow.EscrowOpener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code --escrow-key} file of {@code verify} and {@code recover}: exit 2 when it cannot be used. */
final class EscrowKeys {
    private EscrowKeys() {
    }

    static EscrowOpener opener(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCodes.USAGE, "--escrow-key " + file + ": no such file");
        }
        try {
            return EscrowOpener.load(file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "--escrow-key: " + Failures.message(e), e);
        }
    }
}
