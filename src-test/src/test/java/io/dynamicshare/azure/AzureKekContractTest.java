package io.dynamicshare.azure;

import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.RsaKekContract;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The shared KEK contract, passed by the Azure Key Vault KEK (RSA-2048) over HTTPS against the double. */
class AzureKekContractTest extends RsaKekContract {
    static KeyVaultTestDouble vault;
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

    @Override
    protected Kek kek() throws Exception {
        return AzureKekFixture.open(vault, dir, "contract-rsa", name -> vault.createRsaKey(name, 2048));
    }

    @Override
    protected Kek otherKek() throws Exception {
        return AzureKekFixture.open(vault, dir, "contract-rsa-other", name -> vault.createRsaKey(name, 2048));
    }

    @Override
    protected Kek rotate(Kek kek) {
        return AzureKekFixture.rotate(vault, kek);
    }
}
