package io.dynamicshare.testing.keyvault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.azure.core.exception.HttpResponseException;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttling, server errors, dropped connections, latency and concurrency, as seen by the real SDK. */
class FaultInjectionTest {

    private static KeyVaultTestDouble vault;
    private static KeyClient keys;
    private static String rsaKid;
    private static CryptographyClient rsa;

    @BeforeAll
    static void start() {
        vault = KeyVaultTestDouble.start();
        keys = SdkClients.keyClient(vault);
        rsaKid = vault.createRsaKey("kek", 2048);
        rsa = SdkClients.crypto(vault, rsaKid);
        // Warm-up: the challenge handshake and the client's one-time JWK download (GET key) happen here, so the
        // tests below can count exactly.
        rsa.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, new byte[32]);
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    @BeforeEach
    void reset() {
        vault.faults().clear();
        vault.resetCounters();
    }

    @Test
    void throttlingBurstIsRetriedAfterRetryAfter() {
        byte[] wrapped = rsa.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, WrapUnwrapTest.randomBytes(32)).getEncryptedKey();
        vault.faults().throttleNext(2, 1, Operation.UNWRAP_KEY);

        long start = System.nanoTime();
        byte[] dek = rsa.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped).getKey();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertEquals(32, dek.length);
        assertEquals(3, vault.calls(Operation.UNWRAP_KEY), "two 429s, then the retry that succeeded");
        assertEquals(1, vault.successfulCalls(Operation.UNWRAP_KEY));
        assertTrue(elapsedMs >= 1900, "the SDK must honour Retry-After: 1 twice, took " + elapsedMs + " ms");
        assertEquals(0, vault.faults().pending());
    }

    @Test
    void persistentThrottlingSurfacesAs429Throttled() {
        vault.faults().throttleNext(10, 0, Operation.WRAP_KEY);

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> rsa.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, WrapUnwrapTest.randomBytes(32)));

        assertEquals(429, e.getResponse().getStatusCode());
        assertEquals("0", e.getResponse().getHeaderValue("Retry-After"));
        assertEquals("Throttled", SdkClients.errorCode(e));
        assertEquals(4, vault.calls(Operation.WRAP_KEY), "1 try + the SDK's 3 default retries");
        assertEquals(0, vault.successfulCalls(Operation.WRAP_KEY));
    }

    @Test
    void serviceUnavailableBurstIsRetried() {
        vault.faults().failNext(2, 503);

        assertEquals(rsaKid, keys.getKey("kek").getId());

        assertEquals(3, vault.calls(Operation.GET_KEY));
        assertEquals(1, vault.successfulCalls(Operation.GET_KEY));
    }

    @Test
    void internalServerErrorOnOneOperationOnlyLeavesOthersAlone() {
        vault.faults().failNext(1, 500, Operation.WRAP_KEY);

        keys.getKey("kek");
        assertEquals(1, vault.faults().pending(), "getKey must not consume a wrapKey fault");
        rsa.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, WrapUnwrapTest.randomBytes(32));

        assertEquals(2, vault.calls(Operation.WRAP_KEY));
        assertEquals(1, vault.calls(Operation.GET_KEY));
        assertEquals(0, vault.faults().pending());
    }

    @Test
    void droppedConnectionsAreRetried() {
        vault.faults().dropNext(2, Operation.GET_KEY);

        assertEquals(rsaKid, keys.getKey("kek").getId());

        assertEquals(3, vault.calls(Operation.GET_KEY));
        assertEquals(1, vault.successfulCalls(Operation.GET_KEY));
    }

    @Test
    void addedLatencyIsApplied() {
        vault.faults().latency(300);

        long start = System.nanoTime();
        keys.getKey("kek");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(elapsedMs >= 300, "took " + elapsedMs + " ms");
        assertEquals(300, vault.faults().latencyMillis());
    }

    @Test
    void concurrentClientsAreCountedExactlyEvenWithFaults() throws Exception {
        int threads = 8;
        int perThread = 10;
        // At most 3 throttles exist in total, so no request can exhaust the SDK's 3 retries: the outcome is exact.
        vault.faults().throttleNext(3, 0, Operation.UNWRAP_KEY);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] dek = WrapUnwrapTest.randomBytes(32);
                        byte[] w = rsa.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dek).getEncryptedKey();
                        assertArrayEquals(dek, rsa.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, w).getKey());
                    }
                    return perThread;
                }));
            }
            int done = 0;
            for (Future<Integer> f : results) {
                done += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, done);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(80, vault.successfulCalls(Operation.WRAP_KEY));
        assertEquals(80, vault.calls(Operation.WRAP_KEY));
        assertEquals(80, vault.successfulCalls(Operation.UNWRAP_KEY));
        assertEquals(83, vault.calls(Operation.UNWRAP_KEY));
    }
}
