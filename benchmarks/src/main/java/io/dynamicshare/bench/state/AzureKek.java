package io.dynamicshare.bench.state;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * An Azure Key Vault KEK (RSA-2048) served by the in-process Key Vault test double over real HTTPS on
 * 127.0.0.1, configured as a user would (trust store file, ClientSecretCredential against the double's token
 * endpoint, challenge-resource verification off), and a provider over it with a {@link CountingAuditSink}.
 */
public final class AzureKek implements AutoCloseable {
    static final String CLIENT_ID = "dynamicshare-benchmarks";

    public final KeyVaultTestDouble vault;
    public final Path dir;
    public final CountingAuditSink audit = new CountingAuditSink();
    public final StoreContext context;
    public final DynamicShareProvider provider;

    public AzureKek(int rsaBits) throws Exception {
        vault = KeyVaultTestDouble.start();
        dir = Files.createTempDirectory("dynamicshare-bench-azure-");
        String secret = "not-a-real-secret-" + Long.toHexString(System.nanoTime());
        vault.auth().clientCredentials(CLIENT_ID, secret);
        vault.createRsaKey("wallet-kek", rsaBits);
        char[] trustPassword = "trust".toCharArray();
        Path trustStore = vault.writeTrustStore(dir, trustPassword);
        Files.writeString(dir.resolve("truststore.password"), new String(trustPassword));
        Files.writeString(dir.resolve("client.secret"), secret);
        Properties p = new Properties();
        p.setProperty("kek", vault.vaultUrl() + "/keys/wallet-kek");
        p.setProperty("application", "benchmarks");
        p.setProperty("azure.credential", "client-secret");
        p.setProperty("azure.tenantId", vault.auth().tenantId());
        p.setProperty("azure.clientId", CLIENT_ID);
        p.setProperty("azure.clientSecretFile", "client.secret");
        p.setProperty("azure.authorityHost", vault.vaultUrl());
        p.setProperty("azure.disableInstanceDiscovery", "true");
        p.setProperty("azure.trustStore", dir.relativize(trustStore).toString());
        p.setProperty("azure.trustStorePasswordFile", "truststore.password");
        p.setProperty("azure.disableChallengeResourceVerification", "true");
        Path config = dir.resolve("dynamicshare.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "Key Vault test double");
        }
        context = StoreContext.of(StoreConfig.load(config)).withAudit(audit);
        provider = new DynamicShareProvider(context);
    }

    @Override
    public void close() throws IOException {
        vault.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
