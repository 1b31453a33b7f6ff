package io.dynamicshare.azure;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import io.dynamicshare.testing.keyvault.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.security.UnrecoverableEntryException;
import java.util.Properties;

import static io.dynamicshare.azure.AzureTests.assertContains;
import static io.dynamicshare.azure.AzureTests.assertLacks;
import static io.dynamicshare.azure.AzureTests.occurrences;
import static io.dynamicshare.azure.AzureTests.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A credential that fails says which credential ({@code azure.credential}), which token endpoint, and the real
 * cause: the AADSTS code of the token endpoint's answer, "connection refused", a challenge for another resource
 * (naming {@code azure.disableChallengeResourceVerification} in full). Messages name their alias once.
 */
@Timeout(120)
class AzureCredentialErrorsTest {
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
        keyName = "ce" + info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
        vault.createRsaKey(keyName, 2048);
        vault.faults().clear();
        vault.resetCounters();
    }

    static DynamicShareProvider provider(Path config) throws Exception {
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(config)));
    }

    /** setEntry on a new store with {@code config}: the KeyStoreException it throws. */
    static KeyStoreException failedSetEntry(Path config, String alias) throws Exception {
        DynamicShareKeyStore ks = provider(config).newKeyStore();
        ks.load(null, null);
        return assertThrows(KeyStoreException.class,
                () -> ks.setEntry(alias, WalletEntry.of(AzureFailureTest.shares(), AzureFailureTest.metadata()), null));
    }

    String tokenEndpoint() {
        return vault.vaultUrl() + "/" + vault.auth().tenantId() + "/oauth2/v2.0/token";
    }

    @Test
    void wrongClientSecretNamesTheCredentialTheEndpointAndTheAadstsCode() throws Exception {
        Path config = AzureTests.config(vault, dir, keyName, new Properties());
        Files.write(dir.resolve("client.secret"), "not-the-secret".getBytes(StandardCharsets.UTF_8));
        KeyStoreException e = failedSetEntry(config, "w1");
        assertContains(e.getMessage(), "alias 'w1'", keyName, "azure.credential=client-secret", tokenEndpoint(),
                "AADSTS7000215", "invalid_client");
        assertLacks(e.getMessage(), "could not be reached", "HTTP -1");
        assertEquals(1, occurrences(e.getMessage(), "alias 'w1'"), e.getMessage());
        assertEquals(1, vault.calls(Operation.TOKEN), "a refused credential is not retried: " + vault.callCounts());
    }

    @Test
    void wrongTenantNamesTheCredentialAndTheTenants() throws Exception {
        Path config = AzureTests.config(vault, dir, keyName,
                props("azure.tenantId", "00000000-0000-4000-8000-0000000000ff"));
        KeyStoreException e = failedSetEntry(config, "w2");
        assertContains(e.getMessage(), "alias 'w2'", keyName, "azure.credential=client-secret", "azure.tenantId",
                "00000000-0000-4000-8000-0000000000ff", vault.auth().tenantId());
        assertLacks(e.getMessage(), "could not be reached", "HTTP -1");
    }

    @Test
    void tokenEndpointRefusingConnectionsSaysSoAndNamesIt() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path config = AzureTests.config(vault, dir, keyName,
                props("azure.authorityHost", "https://127.0.0.1:" + closedPort, "azure.maxRetries", "1"));
        KeyStoreException e = failedSetEntry(config, "w3");
        assertContains(e.getMessage(), "alias 'w3'", keyName, "azure.credential=client-secret",
                "127.0.0.1:" + closedPort, "connection refused");
        assertLacks(e.getMessage(), "HTTP -1");
    }

    /** A vault whose challenge names another resource (as any emulator's does): the fix, in full. */
    @Test
    void challengeForAnotherResourceNamesTheSetting() throws Exception {
        // A vault of its own: the SDK caches a vault's challenge for the whole JVM once it has accepted it.
        try (KeyVaultTestDouble other = KeyVaultTestDouble.start()) {
            other.createRsaKey(keyName, 2048);
            Path config = AzureTests.config(other, dir, keyName,
                    props("azure.disableChallengeResourceVerification", "false"));
            KeyStoreException e = failedSetEntry(config, "w4");
            assertContains(e.getMessage(), "alias 'w4'", keyName, "azure.disableChallengeResourceVerification=true",
                    "https://vault.azure.net");
            assertLacks(e.getMessage(), "SecretClientBuilder");
            assertEquals(1, occurrences(e.getMessage(), "alias 'w4'"), e.getMessage());
        }
    }

    /** Errors of setEntry and getEntry carry their alias once, whatever path they took. */
    @Test
    void messagesNameTheirAliasOnce() throws Exception {
        vault.createOctHsmKey(keyName + "oct");
        Path config = AzureTests.config(vault, dir, keyName + "oct",
                props("kek", vault.vaultUrl() + "/keys/" + keyName + "oct"));
        DynamicShareKeyStore ks = provider(config).newKeyStore();
        ks.load(null, null);
        ks.setEntry("a", WalletEntry.of(AzureFailureTest.shares(), AzureFailureTest.metadata()), null);
        vault.faults().failNext(10, 500, Operation.WRAP_KEY);
        KeyStoreException w = assertThrows(KeyStoreException.class,
                () -> ks.setEntry("b", WalletEntry.of(AzureFailureTest.shares(), AzureFailureTest.metadata()), null));
        assertEquals(1, occurrences(w.getMessage(), "alias 'b'"), w.getMessage());
        vault.faults().clear();
        DynamicShareKeyStore read = provider(config).newKeyStore();
        read.load(new java.io.ByteArrayInputStream(AzureStores.bytes(ks)), null);
        vault.faults().failNext(10, 500, Operation.UNWRAP_KEY);
        UnrecoverableEntryException r = assertThrows(UnrecoverableEntryException.class, () -> read.getEntry("a", null));
        assertEquals(1, occurrences(r.getMessage(), "alias 'a'"), r.getMessage());
        vault.faults().clear();
    }

}
