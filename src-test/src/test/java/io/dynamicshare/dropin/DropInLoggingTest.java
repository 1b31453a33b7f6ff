package io.dynamicshare.dropin;

import io.dynamicshare.testing.EmulatorConfig;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Azure SDK inside the drop-in jar logs through its (relocated) SLF4J: bound to java.util.logging, it
 * reaches the host's JUL handlers (an app server's log files), and SLF4J prints no "no binding" warning.
 */
class DropInLoggingTest {
    static KeyVaultTestDouble vault;
    @TempDir
    Path dir;

    @BeforeAll
    static void startVault() {
        vault = KeyVaultTestDouble.start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    @Test
    void azureSdkLogsReachJulAndSlf4jPrintsNothingOnStderr() throws Exception {
        vault.createRsaKey("logging", 2048);
        Path config = EmulatorConfig.write(vault, dir, "logging", new Properties());
        Path home = Files.createDirectories(dir.resolve("home"));
        // An app server's logging configuration, with the (relocated) Azure SDK's verbose records let through.
        Path logging = Files.writeString(dir.resolve("logging.properties"), String.join("\n",
                "handlers=java.util.logging.ConsoleHandler",
                ".level=INFO",
                "java.util.logging.ConsoleHandler.level=INFO",
                "io.dynamicshare.shaded.com.azure.level=FINE", ""));
        DropInForkedJvm.Result r = DropInForkedJvm.run(DropInAzureMain.class, dir,
                Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString()),
                List.of("-Djava.util.logging.config.file=" + logging),
                List.of(config.toString(), fixture("evm-2of2/server-key-shares.json").toString(),
                        fixture("evm-2of2/wallet-metadata.json").toString(), dir.resolve("out.dsks").toString()), 120);
        assertEquals(0, r.exitCode(), r.both());
        assertTrue(r.stdout().contains("STORED"), r.both());
        assertTrue(r.stderr().lines().noneMatch(l -> l.contains("SLF4J")), r.both());
        // Records of the Azure SDK (azure-core, azure-identity), through the shaded SLF4J, in a JUL handler.
        assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("JUL FINE io.dynamicshare.shaded.com.azure.")),
                r.both());
    }

    private Path fixture(String path) throws Exception {
        Path target = dir.resolve(path.replace('/', '-'));
        try (InputStream in = DropInLoggingTest.class.getResourceAsStream("/fixtures/" + path)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }
}
