package io.dynamicshare.dropin;

import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code azure.credential=default} (the default) from the drop-in jar, in a JVM with a bare environment as a
 * service account has it. azure-identity's developer credentials (IntelliJ's keyring, Azure PowerShell) ask
 * JNA which OS this is; JNA is not in the jar, and the chain must still end in a credential error that
 * names the credentials it tried, never in {@code NoClassDefFoundError: com/sun/jna/Platform}.
 */
class DropInDefaultCredentialTest {
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

    /** The repro: {@code env -i PATH=/usr/bin:/bin HOME=$(mktemp -d) AZURE_TOKEN_CREDENTIALS=dev}. */
    @Test
    void developerCredentialsWithoutJnaEndInACredentialErrorNotALinkageError() throws Exception {
        vault.createRsaKey("default-dev", 2048);
        Path home = Files.createDirectories(dir.resolve("home"));
        DropInForkedJvm.Result r = run(defaultCredentialConfig("default-dev"),
                Map.of("PATH", "/usr/bin:/bin", "HOME", home.toString(), "AZURE_TOKEN_CREDENTIALS", "dev"));
        assertFalse(r.both().contains("NoClassDefFoundError") || r.both().contains("com/sun/jna")
                || r.both().contains("com.sun.jna"), r.both());
        System.out.println("default credential, developer chain, drop-in jar: " + r.stdout().lines()
                .filter(l -> l.startsWith("Caused by: ") && l.contains("Credential")).findFirst().orElse(r.stdout()));
        assertEquals(3, r.exitCode(), r.both());
        assertTrue(r.stdout().contains("FAILED"), r.both());
        // The chain ran to its end and names each developer credential: IntelliJ's (which asks the OS first,
        // then finds no keyring library and reports itself unavailable) and Azure PowerShell's (which asks
        // the OS to choose its command) included.
        assertTrue(r.stdout().contains("CredentialUnavailableException: IntelliJ authentication not available"),
                r.both());
        for (String credential : List.of("Visual Studio Code", "AzureCliCredential", "Azure Power Shell",
                "AzureDeveloperCliCredential")) {
            assertTrue(r.stdout().contains(credential), credential + "\n" + r.both());
        }
        assertEquals(0, vault.successfulCalls("unwrapKey") + vault.successfulCalls("wrapKey"), "no key operation ran");
    }

    private DropInForkedJvm.Result run(Path config, Map<String, String> env) throws Exception {
        Path shares = fixture("evm-2of2/server-key-shares.json");
        Path metadata = fixture("evm-2of2/wallet-metadata.json");
        return DropInForkedJvm.run(DropInAzureMain.class, dir, env, List.of(),
                List.of(config.toString(), shares.toString(), metadata.toString(),
                        dir.resolve("out.dsks").toString()), 120);
    }

    /** No {@code azure.credential}: the default, DefaultAzureCredential. */
    private Path defaultCredentialConfig(String keyName) throws Exception {
        Path trustStore = vault.writeTrustStore(dir, "trust".toCharArray());
        Files.writeString(dir.resolve("truststore.password"), "trust");
        Properties p = new Properties();
        p.setProperty("kek", vault.vaultUrl() + "/keys/" + keyName);
        p.setProperty("application", "dropin-default-credential");
        p.setProperty("azure.trustStore", trustStore.toString());
        p.setProperty("azure.trustStorePasswordFile", "truststore.password");
        p.setProperty("azure.disableChallengeResourceVerification", "true");
        p.setProperty("azure.maxRetries", "1");
        p.setProperty("azure.retryBaseDelayMillis", "50");
        p.setProperty("azure.retryMaxDelayMillis", "200");
        p.setProperty("azure.connectTimeoutSeconds", "2");
        p.setProperty("azure.readTimeoutSeconds", "5");
        Path file = dir.resolve("dynamicshare.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "default credential");
        }
        return file;
    }

    private Path fixture(String path) throws Exception {
        Path target = dir.resolve(path.replace('/', '-'));
        try (InputStream in = DropInDefaultCredentialTest.class.getResourceAsStream("/fixtures/" + path)) {
            Files.write(target, in.readAllBytes());
        }
        return target;
    }
}
