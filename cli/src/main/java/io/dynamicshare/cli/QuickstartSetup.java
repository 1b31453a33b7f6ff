package io.dynamicshare.cli;

import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The quickstart directory: a development KEK file, its random password, and a configuration naming
 * both. Created on the first run; reused as is on later runs.
 */
final class QuickstartSetup {
    static final String KEK_NAME = "quickstart";
    static final String CONFIG = "dynamicshare.properties";
    static final String KEK_FILE = "devkek.p12";
    static final String PASSWORD_FILE = "devkek.password";
    static final String STORE = "wallets.dsks";
    static final String TAMPERED = "wallets-tampered.dsks";

    final Path dir;
    /** True when this run created the KEK; false when an earlier run's files were reused. */
    final boolean created;

    private QuickstartSetup(Path dir, boolean created) {
        this.dir = dir;
        this.created = created;
    }

    Path config() {
        return dir.resolve(CONFIG);
    }

    Path store() {
        return dir.resolve(STORE);
    }

    Path tampered() {
        return dir.resolve(TAMPERED);
    }

    Path kekFile() {
        return dir.resolve(KEK_FILE);
    }

    Path passwordFile() {
        return dir.resolve(PASSWORD_FILE);
    }

    /** Reuses a complete quickstart directory, creates a fresh one, and refuses a partial one. */
    static QuickstartSetup prepare(Path dir) throws IOException, KekException {
        QuickstartSetup s = new QuickstartSetup(dir, false);
        int present = (Files.exists(s.config()) ? 1 : 0) + (Files.exists(s.kekFile()) ? 1 : 0)
                + (Files.exists(s.passwordFile()) ? 1 : 0);
        if (present == 3) {
            return s;
        }
        if (present > 0) {
            throw new CliException(ExitCodes.FAILED, dir + " holds an incomplete quickstart (" + CONFIG + ", "
                    + KEK_FILE + " and " + PASSWORD_FILE + " belong together): delete the directory or pass "
                    + "another --dir");
        }
        if (!Files.isDirectory(dir)) {
            createOwnerOnlyDirectory(dir);
        }
        s = new QuickstartSetup(dir, true);
        s.createKek();
        return s;
    }

    private void createKek() throws IOException, KekException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(random);
        char[] password = new char[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            password[i] = (char) encoded[i]; // Base64 is ASCII: no String copy of the password is made
        }
        try {
            writeOwnerOnly(passwordFile(), encoded);
            LocalDevKek.create(kekFile(), password, KEK_NAME, WrapAlgorithm.RSA_OAEP_256);
        } finally {
            Arrays.fill(random, (byte) 0);
            Arrays.fill(encoded, (byte) 0);
            Arrays.fill(password, '\0');
        }
        String config = "# DynamicShare quickstart configuration, written by 'dynamicshare quickstart'.\n"
                + "# LOCAL DEVELOPMENT KEK - NOT FOR PRODUCTION: the key-encryption key (" + KEK_FILE + ") and its\n"
                + "# password (" + PASSWORD_FILE + ") sit next to the store. For real wallets name an Azure Key\n"
                + "# Vault key instead: kek=https://<vault>.vault.azure.net/keys/<name>\n"
                + "kek=" + LocalDevKek.SCHEME + ":" + KEK_NAME + "\n"
                + "devkek.file=" + KEK_FILE + "\n"
                + "devkek.passwordFile=" + PASSWORD_FILE + "\n"
                + "application=dynamicshare-quickstart\n";
        Files.write(config(), config.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Creates the file with owner-only permissions before any secret is written into it. */
    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
            java.io.File f = file.toFile();
            // Best effort where POSIX permissions do not exist (Windows): drop access for everyone but the owner.
            f.setReadable(false, false);
            f.setReadable(true, true);
            f.setWritable(false, false);
            f.setWritable(true, true);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(content);
        }
    }
}
