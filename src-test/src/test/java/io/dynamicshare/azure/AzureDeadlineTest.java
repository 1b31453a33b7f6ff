package io.dynamicshare.azure;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.Processes;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import io.dynamicshare.testing.keyvault.Operation;
import io.dynamicshare.testing.keyvault.SilentEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.Properties;

import static io.dynamicshare.azure.AzureTests.assertContains;
import static io.dynamicshare.azure.AzureTests.props;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code azure.operationTimeoutSeconds}: one deadline for each Key Vault operation that covers token acquisition,
 * retries and {@code Retry-After}. Elapsed times are wall-clock correctness bounds (a deadline plus a margin for
 * scheduling), not performance claims.
 */
@Timeout(120)
class AzureDeadlineTest {
    static final String ALIAS = "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A";
    static final int DEADLINE = 3;
    /** What a failure may take beyond the deadline: thread wake-up, error mapping, a loaded CI machine. */
    static final long MARGIN_MILLIS = 2_000;

    static KeyVaultTestDouble vault;
    @TempDir
    Path dir;
    String keyName;
    Path file;

    @BeforeAll
    static void startVault() {
        vault = KeyVaultTestDouble.start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    /** A store with one wallet, written through the working client-secret configuration. */
    @BeforeEach
    void storeOneWallet(TestInfo info) throws Exception {
        keyName = "dl" + info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
        vault.createRsaKey(keyName, 2048);
        vault.faults().clear();
        AzureStores stores = new AzureStores(vault, dir.resolve("writer"), keyName, new Properties());
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        ks.setEntry(ALIAS, WalletEntry.of(AzureFailureTest.shares(), AzureFailureTest.metadata()), null);
        file = dir.resolve("wallets.dsks");
        ks.store(FileStoreParameter.of(file));
        vault.resetCounters();
    }

    static DynamicShareProvider provider(Path config) throws Exception {
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(config)));
    }

    /**
     * The case: azure.credential=managed-identity whose token endpoint (here IMDS through
     * AZURE_POD_IDENTITY_AUTHORITY_HOST) accepts the connection and never answers. A cold load fails within the
     * deadline, naming the deadline, the credential and the endpoint; before, it took minutes (every vault retry
     * re-ran the identity library's own retries, each waiting the full read timeout). The child first loads the
     * store through a working client-secret configuration, so the timing is the operation's, not the JVM's start;
     * the managed-identity credential it then uses is new and has no token.
     */
    @Test
    void coldLoadAgainstASilentManagedIdentityEndpointFailsAtTheDeadline() throws Exception {
        try (SilentEndpoint silent = SilentEndpoint.start()) {
            Path config = AzureTests.managedIdentityConfig(vault, dir.resolve("mi"), keyName,
                    props("azure.operationTimeoutSeconds", Integer.toString(DEADLINE)));
            Path warmUp = AzureTests.config(vault, dir.resolve("warm-up"), keyName, new Properties());
            Processes.Result r = AzureTests.child(Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", silent.url("http")), 60,
                    "read", config.toString(), file.toString(), ALIAS, warmUp.toString());
            String line = AzureTests.resultLine(r);
            assertTrue(line.startsWith("FAILED "), r.output());
            long millis = Long.parseLong(line.split(" ")[1]);
            assertTrue(millis < DEADLINE * 1000L + MARGIN_MILLIS, "failed after " + millis + " ms: " + line);
            assertTrue(millis >= DEADLINE * 1000L - 100, "gave up early, after " + millis + " ms: " + line);
            assertContains(line, "azure.operationTimeoutSeconds=" + DEADLINE, "azure.credential=managed-identity",
                    "127.0.0.1:" + silent.port(), keyName);
            assertTrue(silent.acceptedConnections() >= 1, "the token endpoint was asked");
        }
    }

    /**
     * The same with the client-secret credential against a silent AAD authority, in this JVM: the failure comes
     * at the deadline, and the token request it abandoned is cancelled too (its connection closed), so no thread is
     * left waiting on the dead endpoint.
     */
    @Test
    void coldLoadAgainstASilentTokenEndpointFailsAtTheDeadlineAndLeavesNoConnection() throws Exception {
        try (SilentEndpoint silent = SilentEndpoint.start()) {
            Path config = AzureTests.config(vault, dir.resolve("aad"), keyName,
                    props("azure.operationTimeoutSeconds", Integer.toString(DEADLINE),
                            "azure.authorityHost", silent.url("https")));
            DynamicShareKeyStore ks = provider(config).newKeyStore();
            long start = System.nanoTime();
            Exception e = assertThrows(Exception.class, () -> ks.load(FileStoreParameter.of(file)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < DEADLINE * 1000L + MARGIN_MILLIS, "failed after " + millis + " ms: " + e);
            assertContains(e.getMessage(), "azure.operationTimeoutSeconds=" + DEADLINE,
                    "azure.credential=client-secret", "127.0.0.1:" + silent.port());
            assertTrue(silent.acceptedConnections() >= 1, "the token endpoint was asked");
            assertEquals(0, silent.awaitNoOpenConnections(MARGIN_MILLIS),
                    "the abandoned token request still holds a connection to the silent endpoint");
        }
    }

    /** A vault that answers 429 with Retry-After: 120 fails the read within the deadline, not after 120 s. */
    @Test
    void retryAfterBeyondTheDeadlineFailsWithinIt() throws Exception {
        Path config = AzureTests.config(vault, dir.resolve("throttled"), keyName,
                props("azure.operationTimeoutSeconds", Integer.toString(DEADLINE)));
        DynamicShareKeyStore ks = provider(config).newKeyStore();
        ks.load(FileStoreParameter.of(file));
        vault.faults().throttleNext(10, 120, Operation.UNWRAP_KEY);
        long start = System.nanoTime();
        Exception e = assertThrows(Exception.class, () -> ks.getEntry(ALIAS, null));
        long millis = (System.nanoTime() - start) / 1_000_000;
        vault.faults().clear();
        assertTrue(millis < DEADLINE * 1000L + MARGIN_MILLIS, "failed after " + millis + " ms: " + e);
        assertContains(e.getMessage(), "alias '" + ALIAS + "'", "unwrapKey", keyName, "429", "Throttled",
                "Retry-After", "120", "azure.operationTimeoutSeconds=" + DEADLINE);
    }

    /** A vault that is slow (every request, the token's included) but answers within the deadline still works. */
    @Test
    void aSlowVaultWithinTheDeadlineSucceeds() throws Exception {
        Path config = AzureTests.config(vault, dir.resolve("slow"), keyName,
                props("azure.operationTimeoutSeconds", "6"));
        vault.faults().latency(500);
        try {
            long start = System.nanoTime();
            DynamicShareKeyStore ks = provider(config).newKeyStore();
            ks.load(FileStoreParameter.of(file));
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(ALIAS, null);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertArrayEquals(AzureFailureTest.shares(), e.getSecretKey().getEncoded());
            assertTrue(millis >= 1_500, "the latency was really there: " + millis + " ms");
        } finally {
            vault.faults().latency(0);
        }
    }

    @Test
    void theDeadlineIsValidated() throws Exception {
        for (String bad : new String[] {"0", "601", "soon"}) {
            Path config = AzureTests.config(vault, dir.resolve("bad" + bad), keyName,
                    props("azure.operationTimeoutSeconds", bad));
            Exception e = assertThrows(Exception.class, () -> provider(config).newKeyStore().load(FileStoreParameter.of(file)));
            assertContains(e.getMessage(), "azure.operationTimeoutSeconds must be a whole number from 1 to 600", bad);
        }
    }
}
