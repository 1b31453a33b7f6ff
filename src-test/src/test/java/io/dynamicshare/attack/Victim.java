package io.dynamicshare.attack;

import io.dynamicshare.audit.JulAuditSink;
import io.dynamicshare.cache.DataKeyCache;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.KekResolver;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;

import javax.crypto.SecretKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * The victim's side of an attack test: a development KEK file (password-protected PKCS12), the application's
 * configuration naming it, and key stores opened the way the application opens them.
 *
 * <p>What an attacker may take from here is spelled out by the method names: {@link #publicKey()} (A1 knows every
 * public key) and, only for the insider tests, {@link #insiderPrivateKey()} / {@link #insiderAesKey()}.
 */
final class Victim {
    static final String PASSWORD = "victim-devkek-password";

    final Path dir;
    final Path kekFile;
    final Path passwordFile;
    /** The application's configuration. */
    final Path configFile;
    /** {@code devkek:<name>}: the configured write KEK. */
    final String kekName;
    private final String p12Alias;

    private Victim(Path dir, Path kekFile, Path passwordFile, Path configFile, String name) {
        this.dir = dir;
        this.kekFile = kekFile;
        this.passwordFile = passwordFile;
        this.configFile = configFile;
        this.kekName = LocalDevKek.SCHEME + ":" + name;
        this.p12Alias = name + "/v1";
    }

    /** A new development KEK {@code devkek:<name>} in {@code dir} and a configuration with {@code kek} naming it. */
    static Victim create(Path dir, String name, WrapAlgorithm algorithm) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path kekFile = dir.resolve(name + ".p12");
        Path passwordFile = dir.resolve(name + ".password");
        LocalDevKek.create(kekFile, PASSWORD.toCharArray(), name, algorithm);
        Files.write(passwordFile, PASSWORD.getBytes(StandardCharsets.UTF_8));
        Path config = dir.resolve(name + ".properties");
        Victim v = new Victim(dir, kekFile, passwordFile, config, name);
        v.writeConfig(config, p -> p);
        return v;
    }

    /**
     * The store the previous release's quickstart made (test resource {@code v1-store/}: format 1, the four sample
     * wallets, RSA development KEK {@code devkek:quickstart}), copied into {@code dir} with its own configuration.
     */
    static Victim previousRelease(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : new String[] {"wallets.dsks", "devkek.p12", "devkek.password", "dynamicshare.properties"}) {
            try (InputStream in = Victim.class.getResourceAsStream("/v1-store/" + f)) {
                if (in == null) {
                    throw new IllegalStateException("missing test resource v1-store/" + f);
                }
                Files.copy(in, dir.resolve(f));
            }
        }
        return new Victim(dir, dir.resolve("devkek.p12"), dir.resolve("devkek.password"),
                dir.resolve("dynamicshare.properties"), "quickstart");
    }

    /** The previous release's store file. */
    Path v1StoreFile() {
        return dir.resolve("wallets.dsks");
    }

    /** The exact KEK version id the store records: {@code devkek:<name>/v1}. */
    String kekVersion() {
        return kekName + "/v1";
    }

    /**
     * Another configuration file beside the first: {@code edit} changes the properties of the standard one
     * ({@code kek}, {@code devkek.file}, {@code devkek.passwordFile}, {@code application}).
     */
    Path config(String fileName, UnaryOperator<Properties> edit) throws IOException {
        Path file = dir.resolve(fileName);
        writeConfig(file, edit);
        return file;
    }

    private void writeConfig(Path file, UnaryOperator<Properties> edit) throws IOException {
        Properties p = new Properties();
        p.setProperty("kek", kekName);
        p.setProperty("devkek.file", kekFile.getFileName().toString());
        p.setProperty("devkek.passwordFile", passwordFile.getFileName().toString());
        p.setProperty("application", "attack-tests");
        Properties edited = edit.apply(p);
        // Sorted, one per line, so a reader of a failing test's directory sees what was configured.
        Map<String, String> sorted = new LinkedHashMap<>();
        edited.stringPropertyNames().stream().sorted().forEach(k -> sorted.put(k, edited.getProperty(k)));
        StringBuilder b = new StringBuilder();
        sorted.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Files.write(file, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A key store as the application opens it with the standard configuration: its own provider and cache. */
    DynamicShareKeyStore newKeyStore() throws GeneralSecurityException {
        return newKeyStore(configFile);
    }

    DynamicShareKeyStore newKeyStore(Path config) throws GeneralSecurityException {
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(config))).newKeyStore();
    }

    /** A key store whose key services go through {@code wrap} (to count or watch every KEK call). */
    DynamicShareKeyStore newKeyStore(Path config, UnaryOperator<KekResolver> wrap) throws GeneralSecurityException {
        StoreConfig c = StoreConfig.load(config);
        StoreContext plain = StoreContext.of(c);
        StoreContext ctx = new StoreContext(c, wrap.apply(plain.resolver()),
                new DataKeyCache(c.cacheMaxEntries(), c.cacheTtlMillis()), new JulAuditSink());
        return new DynamicShareProvider(ctx).newKeyStore();
    }

    /** A new store holding {@code wallets}, written to bytes (what the file holds). */
    byte[] newStoreFile(Wallets.Wallet... wallets) throws GeneralSecurityException, IOException {
        KeyStore ks = newKeyStore();
        ks.load(null, null);
        for (Wallets.Wallet w : wallets) {
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        return bytes(ks);
    }

    /** Loads {@code file} with the standard configuration. */
    DynamicShareKeyStore open(byte[] file) throws GeneralSecurityException, IOException {
        return open(configFile, file);
    }

    DynamicShareKeyStore open(Path config, byte[] file) throws GeneralSecurityException, IOException {
        DynamicShareKeyStore ks = newKeyStore(config);
        ks.load(new ByteArrayInputStream(file), null);
        return ks;
    }

    /** Writes {@code file} into the victim's directory under {@code name}: what A1's write access produces. */
    Path write(String name, byte[] file) throws IOException {
        return Files.write(dir.resolve(name), file);
    }

    static byte[] bytes(KeyStore ks) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, null);
        return out.toByteArray();
    }

    // ---- what each attacker may know -------------------------------------------------------------------------

    /**
     * The RSA KEK's public key: A1 knows it (Key Vault hands it to anyone with {@code get}; here it is read from the
     * certificate in the key file, whose private key is never touched).
     */
    PublicKey publicKey() throws GeneralSecurityException, IOException {
        return p12().getCertificate(p12Alias).getPublicKey();
    }

    /** The RSA KEK's private key: only an insider (who holds the KEK) has it. */
    PrivateKey insiderPrivateKey() throws GeneralSecurityException, IOException {
        return (PrivateKey) p12().getKey(p12Alias, password());
    }

    /** The AES KEK: only an insider has it. */
    SecretKey insiderAesKey() throws GeneralSecurityException, IOException {
        return (SecretKey) p12().getKey(p12Alias, password());
    }

    private KeyStore p12() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(kekFile)) {
            ks.load(in, password());
        }
        return ks;
    }

    private char[] password() throws IOException {
        return new String(Files.readAllBytes(passwordFile), StandardCharsets.UTF_8).trim().toCharArray();
    }
}
