package io.dynamicshare.azure;

import io.dynamicshare.audit.AuditEvent;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.EmulatorConfig;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
    final KeyVaultTestDouble vault;
    final Path dir;
    final Path configFile;
    final String keyName;
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    AzureStores(KeyVaultTestDouble vault, Path dir, String keyName, Properties extra) throws Exception {
        this.vault = vault;
        this.dir = Files.createDirectories(dir);
        this.keyName = keyName;
        configFile = EmulatorConfig.write(vault, dir, keyName, extra);
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
