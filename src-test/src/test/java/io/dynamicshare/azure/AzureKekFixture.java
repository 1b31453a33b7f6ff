package io.dynamicshare.azure;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** Azure KEKs for the contract tests: a fresh key per test, opened through a real configuration. */
final class AzureKekFixture {
    private static final AtomicInteger KEYS = new AtomicInteger();

    private AzureKekFixture() {
    }

    /** A new key of the vault's, made by {@code create}, opened as a configured KEK. */
    static Kek open(KeyVaultTestDouble vault, Path dir, String prefix, java.util.function.Consumer<String> create)
            throws Exception {
        String name = prefix + "-" + KEYS.incrementAndGet();
        create.accept(name);
        AzureStores s = new AzureStores(vault, dir.resolve(name), name, new Properties());
        return StoreContext.of(StoreConfig.load(s.configFile)).resolver().resolve(vault.vaultUrl() + "/keys/" + name);
    }

    /** A new version of the key in the vault; the same KEK object then wraps with it. */
    static Kek rotate(KeyVaultTestDouble vault, Kek kek) {
        vault.newVersion(kek.keyName().substring(kek.keyName().lastIndexOf('/') + 1));
        return kek;
    }
}
