package io.dynamicshare.cli;

import io.dynamicshare.store.DynamicShareKeyStore;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code import --dir}: every {@code *.json} file of a directory, each one createWalletAccount return, in file-name
 * order. Resumable: a wallet whose alias the store already holds is skipped, never overwritten, so a rerun after an
 * interruption picks up where the last saved batch ended. A file that fails (bad JSON, a wallet the store refuses)
 * is reported and the others go on; nothing of a failed file is written.
 */
final class DirectoryImport {
    final Map<Path, String> failed = new LinkedHashMap<>();
    final List<String> imported = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();

    /** The {@code *.json} files of {@code dir}, sorted by name. */
    static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.USAGE, "--dir " + dir + " is not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : s) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILED, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        Collections.sort(files);
        return files;
    }

    /**
     * Imports {@code files} into {@code ks}, saving after every {@code batch} imported wallets (a no-op for a store
     * that writes through) and at the end.
     */
    void run(List<Path> files, DynamicShareKeyStore ks, StoreOptions store, int batch, boolean allowIdentityOnly)
            throws GeneralSecurityException {
        ProgressBar bar = new ProgressBar(System.err, Terminal.interactive() != null);
        int sinceSave = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            if (importOne(file, ks, allowIdentityOnly) && ++sinceSave == batch) {
                store.save(ks);
                sinceSave = 0;
            }
            if (sinceSave == 0 || i == files.size() - 1) {
                bar.update(i + 1, files.size());
            }
        }
        store.save(ks);
        bar.finish();
    }

    /** @return true when the wallet was added (not skipped, not failed) */
    private boolean importOne(Path file, DynamicShareKeyStore ks, boolean allowIdentityOnly)
            throws GeneralSecurityException {
        byte[] json;
        try {
            json = Bytes.readFile(file, "--dir");
        } catch (CliException e) {
            failed.put(file, e.getMessage());
            return false;
        }
        WalletImport wallet;
        try {
            wallet = WalletImport.fromCreateReturn(json, file.toString());
        } catch (CliException e) {
            failed.put(file, e.getMessage());
            return false;
        } finally {
            Bytes.zero(json);
        }
        try (WalletImport w = wallet) {
            w.validate(allowIdentityOnly);
            String alias = w.alias(null);
            if (ks.containsAlias(alias)) {
                skipped.add(alias);
                return false;
            }
            w.store(ks, alias, allowIdentityOnly);
            imported.add(alias);
            return true;
        } catch (CliException e) {
            failed.put(file, e.getMessage());
            return false;
        } catch (java.security.KeyStoreException e) {
            failed.put(file, Failures.message(e));
            return false;
        }
    }
}
