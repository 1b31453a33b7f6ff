package io.dynamicshare.appserver;

import io.dynamicshare.appserver.webapp.ProbeServlet;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.EmulatorConfig;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provider in a real servlet container, through a web application reload (issue 11, items 2 and 3).
 *
 * <p>A forked JVM runs embedded Tomcat exactly as the README deploys it: JULI's ClassLoaderLogManager (as
 * catalina.sh sets it), the drop-in jar on the JVM class path, registered by a {@code java.security} line,
 * configured by {@code -Ddynamicshare.config} for the Azure KEK against the Key Vault test double (which runs
 * here, on loopback). The administrator's audit handler is attached at JVM level to {@code io.dynamicshare.audit}
 * in the JVM's logging.properties. The web application is one servlet in {@code WEB-INF/classes}, loaded by
 * its own WebappClassLoader, that opens a store and reads an entry with the plain KeyStore API.
 *
 * <p>The web application is called, reloaded, and called again; then reloaded once more. Audit events must
 * keep arriving after the reload, no thread may run with (or have inherited the access-control context of) the
 * first web application's class loader, and that loader must be collected.
 */
class TomcatReloadTest {
    static final String BEFORE = "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A";
    static final String AFTER = "0xAcC93AE6A862804744Aa2f146F8e45CAb0a7655b";

    @TempDir
    Path dir;

    @Test
    void auditAndClassLoaderSurviveWebappReload() throws Exception {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            vault.createRsaKey("tomcat-kek", 2048);
            Path config = EmulatorConfig.write(vault, dir.resolve("config"), "tomcat-kek", new Properties());
            Path store = writeStore(config);
            Path webapp = ForkedTomcat.webapp(dir, ProbeServlet.class);
            Map<String, String> r = ForkedTomcat.run(dir, config, e -> false, TomcatHost.class, webapp.toString(),
                    Files.createDirectories(dir.resolve("tomcat")).toString(), store.toString(), BEFORE, AFTER);

            List<Executable> checks = new ArrayList<>(List.of(
                    () -> assertEquals("org.apache.juli.ClassLoaderLogManager", r.get("logManager")),
                    () -> assertTrue(r.get("before.response").startsWith("200 ok entry=SecretKeyEntry loader="
                            + "org.apache.catalina.loader.ParallelWebappClassLoader provider=DynamicShare "
                            + "providerLoader=jdk.internal.loader.ClassLoaders$AppClassLoader"),
                            "the web application reads through the JVM-level provider: " + r.get("before.response")),
                    () -> assertTrue(Long.parseLong(r.get("before.auditGet")) >= 1,
                            "audit event for the read before the reload: " + r),
                    () -> assertEquals("true", r.get("reloaded")),
                    () -> assertTrue(r.get("after.response").startsWith("200 ok entry=SecretKeyEntry"),
                            "read after the reload: " + r.get("after.response")),
                    // Item 2: the JVM-level audit handler still receives events after the reload.
                    () -> assertTrue(Long.parseLong(r.get("after.auditGet")) >= 1,
                            "audit events after the reload: " + r.get("after.auditEvents") + " (GET " + AFTER + ": "
                                    + r.get("after.auditGet") + ")"),
                    () -> assertEquals("true", r.get("done"))));
            // Item 3: no thread the provider caused keeps the web application's loader or context.
            checks.addAll(ForkedTomcat.leakAssertions(r));
            assertAll(checks);
        }
    }

    /** A store with two wallets, one read before the reload and one after (a data-key cache miss: a vault unwrap). */
    private Path writeStore(Path config) throws Exception {
        DynamicShareProvider provider = new DynamicShareProvider(StoreContext.of(StoreConfig.load(config)));
        DynamicShareKeyStore ks = provider.newKeyStore();
        ks.load(null, null);
        ks.setEntry(BEFORE, WalletEntry.of(fixture("evm-2of2/server-key-shares.json"),
                fixture("evm-2of2/wallet-metadata.json")), null);
        ks.setEntry(AFTER, WalletEntry.of(fixture("evm-2of3/server-key-shares.json"),
                fixture("evm-2of3/wallet-metadata.json")), null);
        Path file = dir.resolve("wallets.dsks");
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, null);
        }
        return file;
    }

    private static byte[] fixture(String path) throws Exception {
        try (InputStream in = TomcatReloadTest.class.getResourceAsStream("/fixtures/" + path)) {
            return in.readAllBytes();
        }
    }
}
