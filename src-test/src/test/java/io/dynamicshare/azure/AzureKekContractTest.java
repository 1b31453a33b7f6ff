package io.dynamicshare.azure;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekContract;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** The shared KEK contract, passed by the Azure Key Vault KEK (RSA-2048) over HTTPS against the double. */
class AzureKekContractTest extends KekContract {
    static KeyVaultTestDouble vault;
    static final AtomicInteger KEYS = new AtomicInteger();
    @TempDir
    Path dir;

    @BeforeAll
    static void startVault() throws Exception {
        vault = KeyVaultTestDouble.start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    String createKey(String name) {
        return vault.createRsaKey(name, 2048);
    }

    Kek open(String name) throws Exception {
        createKey(name);
        AzureStores s = new AzureStores(vault, dir.resolve(name), name, new Properties());
        return StoreContext.of(StoreConfig.load(s.configFile)).resolver().resolve(vault.vaultUrl() + "/keys/" + name);
    }

    @Override
    protected Kek kek() throws Exception {
        return open(prefix() + "-" + KEYS.incrementAndGet());
    }

    @Override
    protected Kek otherKek() throws Exception {
        return open(prefix() + "-other-" + KEYS.incrementAndGet());
    }

    @Override
    protected Kek rotate(Kek kek) throws Exception {
        vault.newVersion(kek.keyName().substring(kek.keyName().lastIndexOf('/') + 1));
        return kek;
    }

    String prefix() {
        return "contract-rsa";
    }

    @Override
    protected WrapAlgorithm expectedAlgorithm() {
        return WrapAlgorithm.RSA_OAEP_256;
    }
}
