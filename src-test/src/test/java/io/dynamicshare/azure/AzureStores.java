package io.dynamicshare.azure;

import io.dynamicshare.audit.AuditEvent;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A configuration that points the product at the Key Vault test double exactly as a user would point it
 * at an emulator: a trust store file, the real ClientSecretCredential against the double's token
 * endpoint, and challenge-resource verification off.
 */
final class AzureStores {
    static final String CLIENT_ID = "dynamicshare-tests";
    static final String CLIENT_SECRET = "not-a-real-secret-" + Long.toHexString(System.nanoTime());

    final KeyVaultTestDouble vault;
    final Path dir;
    final Path configFile;
    final String keyName;
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    AzureStores(KeyVaultTestDouble vault, Path dir, String keyName, Properties extra) throws Exception {
        this.vault = vault;
        this.dir = Files.createDirectories(dir);
        this.keyName = keyName;
        vault.auth().clientCredentials(CLIENT_ID, CLIENT_SECRET);
        char[] trustPassword = "trust".toCharArray();
        Path trustStore = vault.writeTrustStore(dir, trustPassword);
        Files.writeString(dir.resolve("truststore.password"), new String(trustPassword));
        Files.writeString(dir.resolve("client.secret"), CLIENT_SECRET);
        Properties p = new Properties();
        p.setProperty("kek", vault.vaultUrl() + "/keys/" + keyName);
        p.setProperty("application", "azure-it");
        p.setProperty("azure.credential", "client-secret");
        p.setProperty("azure.tenantId", vault.auth().tenantId());
        p.setProperty("azure.clientId", CLIENT_ID);
        p.setProperty("azure.clientSecretFile", "client.secret");
        p.setProperty("azure.authorityHost", vault.vaultUrl());
        p.setProperty("azure.disableInstanceDiscovery", "true");
        p.setProperty("azure.trustStore", dir.relativize(trustStore).toString());
        p.setProperty("azure.trustStorePasswordFile", "truststore.password");
        p.setProperty("azure.disableChallengeResourceVerification", "true");
        p.setProperty("azure.maxRetries", "3");
        p.setProperty("azure.retryBaseDelayMillis", "50");
        p.setProperty("azure.retryMaxDelayMillis", "3000");
        p.setProperty("azure.connectTimeoutSeconds", "2");
        p.setProperty("azure.readTimeoutSeconds", "5");
        p.putAll(extra);
        configFile = dir.resolve("dynamicshare.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            p.store(out, "Key Vault test double");
        }
    }

    /** A provider with its own, empty cache and freshly opened key services. */
    DynamicShareProvider provider() throws Exception {
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(configFile)).withAudit(events::add));
    }

    DynamicShareKeyStore newStore(DynamicShareProvider provider) throws Exception {
        DynamicShareKeyStore ks = provider.newKeyStore();
        ks.load(null, null);
        return ks;
    }

    DynamicShareKeyStore open(DynamicShareProvider provider, byte[] file) throws Exception {
        DynamicShareKeyStore ks = provider.newKeyStore();
        ks.load(new ByteArrayInputStream(file), null);
        return ks;
    }

    static byte[] bytes(KeyStore ks) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, null);
        return out.toByteArray();
    }

    static byte[] fixture(String path) throws Exception {
        try (var in = AzureStores.class.getResourceAsStream("/fixtures/" + path)) {
            return in.readAllBytes();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
