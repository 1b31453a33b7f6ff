package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;

/**
 * {@code dynamicshare export-entry ALIAS --der}: one entry's CMS AuthEnvelopedData exactly as stored, for recovery
 * with OpenSSL and the escrow key alone (README "Recovery with OpenSSL alone"). The bytes are encrypted: nothing is
 * unwrapped or decrypted.
 */
@Command(name = "export-entry", mixinStandardHelpOptions = true,
        description = {"Writes one entry's CMS AuthEnvelopedData (RFC 5083), DER, exactly as the store holds it: "
                + "the input of docs/escrow-recover.sh (or 'openssl cms -decrypt -inform DER') with the escrow key.",
                "Nothing is decrypted: the output is as safe to handle as the store file. A database row's "
                + "encrypted_key_shares column holds these same bytes."})
final class ExportEntryCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Parameters(index = "0", paramLabel = "ALIAS", description = "The wallet's alias.")
    String alias;

    @Option(names = "--der", required = true, description = "DER output (the only format; required so that a later "
            + "format can be added without changing what this writes).")
    boolean der;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (not replaced if it exists) instead "
            + "of standard output.")
    Path out;

    @Override
    public Integer call() throws GeneralSecurityException {
        DynamicShareKeyStore ks = store.open();
        store.requireAlias(ks, alias);
        byte[] bytes = ks.entryDer(alias);
        try {
            if (out == null) {
                System.out.write(bytes);
                System.out.flush();
            } else {
                try (OutputStream o = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW)) {
                    o.write(bytes);
                }
                System.err.println("wrote " + bytes.length + " bytes of '" + alias + "' to " + out);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new CliException(ExitCodes.USAGE, out + " already exists; not replacing it", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot write " + (out == null ? "standard output" : out) + ": "
                    + Failures.message(e), e);
        }
        return ExitCodes.OK;
    }
}
