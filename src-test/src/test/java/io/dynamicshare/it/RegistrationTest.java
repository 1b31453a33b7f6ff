package io.dynamicshare.it;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three ways to register the provider: in code, by ServiceLoader, and by a {@code security.provider.N}
 * line in a java.security file, in a forked JVM (this test's own JDK) that registers nothing in code.
 */
class RegistrationTest {
    @TempDir
    Path dir;

    @Test
    void securityAddProvider() throws Exception {
        Security.addProvider(new DynamicShareProvider());
        try {
            assertEquals(DynamicShareProvider.NAME, KeyStore.getInstance("DynamicShareKeyStore").getProvider().getName());
        } finally {
            Security.removeProvider(DynamicShareProvider.NAME);
        }
    }

    @Test
    void serviceLoaderDiscovery() {
        List<String> names = new ArrayList<>();
        for (Provider p : ServiceLoader.load(Provider.class)) {
            names.add(p.getName());
        }
        assertTrue(names.contains(DynamicShareProvider.NAME), names.toString());
    }

    @Test
    void java8StyleClassNameLineWithConfigFromSystemProperty() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        String out = fork(dev, "io.dynamicshare.provider.DynamicShareProvider", "-Ddynamicshare.config=" + dev.configFile);
        assertContains(out, "provider=DynamicShare", "aliases=[" + Fixtures.WALLETS.get(0).alias() + "]");
        assertForkedStoreOpens(dev);
    }

    @Test
    void java9StyleNameAndConfigFileLine() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        String out = fork(dev, "DynamicShare " + dev.configFile);
        assertContains(out, "provider=DynamicShare", "aliases=[" + Fixtures.WALLETS.get(0).alias() + "]");
        assertForkedStoreOpens(dev);
    }

    private void assertForkedStoreOpens(DevStores dev) throws Exception {
        KeyStore written = dev.open(Files.readAllBytes(dir.resolve("forked.dsks")));
        assertArrayEquals(Fixtures.WALLETS.get(0).shares(),
                ((KeyStore.SecretKeyEntry) written.getEntry("forked", null)).getSecretKey().getEncoded());
    }

    /** Forks this JDK with a java.security override that appends {@code providerLine}; returns its output. */
    private String fork(DevStores dev, String providerLine, String... jvmArgs) throws Exception {
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        KeyStore existing = dev.newStore();
        existing.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        Path existingFile = Files.write(dir.resolve("existing.dsks"), DevStores.bytes(existing));
        Path metadata = Files.write(dir.resolve("metadata.json"), w.metadata());
        Path shares = Files.write(dir.resolve("shares.json"), w.shares());

        int n = 1;
        while (Security.getProperty("security.provider." + n) != null) {
            n++;
        }
        Path securityFile = dir.resolve("java.security");
        Files.writeString(securityFile, "security.provider." + n + "=" + providerLine + "\n");

        List<String> cmd = new ArrayList<>();
        cmd.add(Processes.jdkTool("java"));
        cmd.add("-Djava.security.properties=" + securityFile);
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ForkedRegistrationMain.class.getName(),
                existingFile.toString(), dir.resolve("forked.dsks").toString(), metadata.toString(), shares.toString()));
        Processes.Result r = Processes.run(cmd, 60);
        assertEquals(0, r.exitCode(), r.output());
        assertContains(r.output(), "position=" + n);
        return r.output();
    }
}
