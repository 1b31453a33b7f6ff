package io.dynamicshare.bench.state;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.EmulatorConfig;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * An Azure Key Vault KEK (RSA-2048) served by the in-process Key Vault test double over real HTTPS on
 * 127.0.0.1, configured as a user configures an emulator ({@link EmulatorConfig}), and a provider over it
 * with a {@link CountingAuditSink}.
 */
public final class AzureKek implements AutoCloseable {
    public final KeyVaultTestDouble vault;
    public final Path dir;
    public final CountingAuditSink audit = new CountingAuditSink();
    public final StoreContext context;
    public final DynamicShareProvider provider;
    /** The configuration file: another provider over it is another process's view (its own caches). */
    public final Path config;

    /** {@code kek.mode} ({@code direct} or {@code hierarchical}, branch keys) as a configuration property. */
    public static Properties kekMode(String mode) {
        Properties p = new Properties();
        p.setProperty("kek.mode", mode);
        return p;
    }

    public AzureKek(int rsaBits) throws Exception {
        this(rsaBits, new Properties());
    }

    /**
     * With {@code more} added to the configuration (e.g. {@code escrow.certificate}, or {@code kek.mode}: see
     * {@link #kekMode}).
     */
    public AzureKek(int rsaBits, Properties more) throws Exception {
        vault = KeyVaultTestDouble.start();
        dir = Files.createTempDirectory("dynamicshare-bench-azure-");
        vault.createRsaKey("wallet-kek", rsaBits);
        Properties extra = new Properties();
        extra.putAll(more);
        extra.setProperty("application", "benchmarks");
        Path config = EmulatorConfig.write(vault, dir, "wallet-kek", extra);
        this.config = config;
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
