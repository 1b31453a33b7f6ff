package io.dynamicshare.testing;

import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Writes a DynamicShare configuration that points at a Key Vault test double exactly as a user points
 * it at a local emulator: a trust store file, the real ClientSecretCredential against the double's token
 * endpoint, and challenge-resource verification off. Tests and benchmarks share it.
 *
 * <pre>{@code
 * Path config = EmulatorConfig.write(vault, dir, "wallet-kek", new Properties());
 * }</pre>
 */
public final class EmulatorConfig {
    public static final String CLIENT_ID = "dynamicshare-tests";
    public static final String CLIENT_SECRET = "test-double-client-secret";
    public static final String FILE_NAME = "dynamicshare.properties";

    private EmulatorConfig() {
    }

    /**
     * @param extra options that override or add to the emulator defaults (e.g. a different {@code kek})
     * @return the configuration file, {@value #FILE_NAME} in {@code dir}
     */
    public static Path write(KeyVaultTestDouble vault, Path dir, String keyName, Properties extra) {
        try {
            Files.createDirectories(dir);
            vault.auth().clientCredentials(CLIENT_ID, CLIENT_SECRET);
            Path trustStore = vault.writeTrustStore(dir, "trust".toCharArray());
            Files.write(dir.resolve("truststore.password"), "trust".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Files.write(dir.resolve("client.secret"), CLIENT_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Properties p = new Properties();
            p.setProperty("kek", vault.vaultUrl() + "/keys/" + keyName);
            p.setProperty("application", "emulator-tests");
            p.setProperty("azure.credential", "client-secret");
            p.setProperty("azure.tenantId", vault.auth().tenantId());
            p.setProperty("azure.clientId", CLIENT_ID);
            p.setProperty("azure.clientSecretFile", "client.secret");
            p.setProperty("azure.authorityHost", vault.vaultUrl());
            p.setProperty("azure.disableInstanceDiscovery", "true");
            p.setProperty("azure.trustStore", dir.relativize(trustStore).toString());
            p.setProperty("azure.trustStorePasswordFile", "truststore.password");
            p.setProperty("azure.disableChallengeResourceVerification", "true");
            // Fast, bounded retries: the tests inject faults and must not wait minutes.
            p.setProperty("azure.maxRetries", "3");
            p.setProperty("azure.retryBaseDelayMillis", "50");
            p.setProperty("azure.retryMaxDelayMillis", "3000");
            p.setProperty("azure.connectTimeoutSeconds", "2");
            p.setProperty("azure.readTimeoutSeconds", "5");
            p.putAll(extra);
            Path file = dir.resolve(FILE_NAME);
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "Key Vault test double");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
