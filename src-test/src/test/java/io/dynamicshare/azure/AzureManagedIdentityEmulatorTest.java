package io.dynamicshare.azure;

import io.dynamicshare.testing.Processes;
import io.dynamicshare.testing.keyvault.AuthSettings;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import io.dynamicshare.testing.keyvault.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static io.dynamicshare.azure.AzureTests.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's route for any Key Vault emulator: {@code azure.credential=managed-identity} with a local token
 * endpoint named by the environment, the emulator's CA in {@code azure.trustStore}, and
 * {@code azure.disableChallengeResourceVerification=true}. Each case runs in a forked JVM, since managed identity
 * reads its endpoint from environment variables only.
 */
@Timeout(180)
class AzureManagedIdentityEmulatorTest {
    static KeyVaultTestDouble vault;
    @TempDir
    Path dir;
    String keyName;

    @BeforeAll
    static void startVault() {
        vault = KeyVaultTestDouble.start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    @BeforeEach
    void key(TestInfo info) {
        keyName = "mi" + info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
        vault.createRsaKey(keyName, 2048);
        vault.resetCounters();
    }

    Processes.Result roundTrip(Map<String, String> env) throws Exception {
        Path config = AzureTests.managedIdentityConfig(vault, dir, keyName, new Properties());
        return AzureTests.child(env, 90, "roundtrip", config.toString(), dir.resolve("wallets.dsks").toString());
    }

    /** App Service's variables: IDENTITY_ENDPOINT and IDENTITY_HEADER. */
    @Test
    void appServiceIdentityEndpointRoundTrips() throws Exception {
        Processes.Result r = roundTrip(Map.of("IDENTITY_ENDPOINT", vault.appServiceIdentityEndpoint(),
                "IDENTITY_HEADER", AuthSettings.DEFAULT_IDENTITY_HEADER));
        assertEquals("OK", AzureTests.resultLine(r), r.output());
        assertTrue(vault.calls(Operation.MANAGED_IDENTITY_TOKEN) >= 1, vault.callCounts().toString());
        assertEquals(0, vault.calls(Operation.TOKEN), "no client-secret flow: " + vault.callCounts());
    }

    /** IMDS at another host: AZURE_POD_IDENTITY_AUTHORITY_HOST. */
    @Test
    void imdsAuthorityHostRoundTrips() throws Exception {
        Processes.Result r = roundTrip(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", vault.imdsAuthorityHost()));
        assertEquals("OK", AzureTests.resultLine(r), r.output());
        assertTrue(vault.calls(Operation.MANAGED_IDENTITY_TOKEN) >= 1, vault.callCounts().toString());
    }

    /** A wrong IDENTITY_HEADER: the error names the credential and the endpoint. */
    @Test
    void aRefusedIdentityHeaderNamesTheCredentialAndTheEndpoint() throws Exception {
        Processes.Result r = roundTrip(Map.of("IDENTITY_ENDPOINT", vault.appServiceIdentityEndpoint(),
                "IDENTITY_HEADER", "wrong-header"));
        String out = r.output();
        assertTrue(r.exitCode() != 0, out);
        assertContains(out, "azure.credential=managed-identity", vault.appServiceIdentityEndpoint(), "401");
    }
}
