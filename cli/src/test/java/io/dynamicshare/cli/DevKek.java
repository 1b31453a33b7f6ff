package io.dynamicshare.cli;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A development KEK in a test directory, with its password file and a configuration naming both: what a
 * user's own setup would look like. Stores are seeded in-process through the library, which is quicker
 * than an import process per wallet; the commands under test always run as a separate process.
 */
final class DevKek {
    static final String PASSWORD = "it-devkek-password";
    /** The library's audit lines and dev-KEK warnings from seeding would drown the test report. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("io.dynamicshare");

    static {
        LIBRARY_LOG.setLevel(Level.SEVERE);
    }

    final Path dir;
    final String name;
    final Path kekFile;
    final Path config;

    private DevKek(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.kekFile = dir.resolve(name + ".p12");
        this.config = dir.resolve(name + ".properties");
    }

    /** AES key wrap: the same store code paths as RSA, without RSA key generation in every test class. */
    static DevKek create(Path dir, String name) throws IOException, GeneralSecurityException {
        DevKek k = new DevKek(dir, name);
        LocalDevKek.create(k.kekFile, PASSWORD.toCharArray(), name, WrapAlgorithm.AES_KW_256);
        Files.writeString(dir.resolve(name + ".password"), PASSWORD);
        Files.writeString(k.config, "kek=devkek:" + name + "\n"
                + "devkek.file=" + k.kekFile.getFileName() + "\n"
                + "devkek.passwordFile=" + name + ".password\n"
                + "application=cli-it\n", StandardCharsets.UTF_8);
        return k;
    }

    /** {@code command} followed by this KEK's {@code --config} and the given {@code --store}. */
    List<String> args(Path store, String... command) {
        List<String> args = new ArrayList<>(Arrays.asList(command));
        args.addAll(List.of("--config", config.toString(), "--store", store.toString()));
        return args;
    }

    /** Adds a newer version of the KEK to its file. */
    void rotate() throws GeneralSecurityException {
        LocalDevKek.open(kekFile, PASSWORD.toCharArray()).rotate(PASSWORD.toCharArray());
    }

    DynamicShareKeyStore newKeyStore() throws GeneralSecurityException {
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(config))).newKeyStore();
    }

    /** Writes a new store at {@code store} holding the named fixture wallets, under their addresses. */
    Path seed(Path store, String... fixtures) throws IOException, GeneralSecurityException {
        DynamicShareKeyStore ks = newKeyStore();
        ks.load(null, null);
        for (String f : fixtures) {
            byte[] metadata = Fixtures.bytes(f + "/wallet-metadata.json");
            String alias = Cli.JSON.readTree(metadata).get("accountAddress").asText();
            ks.setEntry(alias, WalletEntry.of(Fixtures.bytes(f + "/server-key-shares.json"), metadata), null);
        }
        ks.store(FileStoreParameter.of(store));
        return store;
    }

    /** A copy of {@code store} with one bit flipped in the middle: what an attacker with file access does. */
    static Path tamperedCopy(Path store, Path copy) throws IOException {
        byte[] b = Files.readAllBytes(store);
        b[b.length / 2] ^= 0x01;
        Files.write(copy, b);
        return copy;
    }
}
