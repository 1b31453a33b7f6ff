package io.dynamicshare.azure;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStoreException;
import java.security.UnrecoverableEntryException;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the vault can do wrong, and what the store does about it: succeed after retrying, or fail with
 * an error naming the alias, the key id and the vault's error code; never change the store file.
 */
class AzureFailureTest {
    static KeyVaultTestDouble vault;
    static final String ALIAS = "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A";
    @TempDir
    Path dir;
    AzureStores stores;
    String keyName;
    Path file;
    byte[] before;

    @BeforeAll
    static void startVault() throws Exception {
        vault = KeyVaultTestDouble.start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    @BeforeEach
    void storeOneWallet(TestInfo info) throws Exception {
        keyName = info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
        vault.createRsaKey(keyName, 2048);
        stores = new AzureStores(vault, dir, keyName, new Properties());
        vault.faults().clear();
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        ks.setEntry(ALIAS, WalletEntry.of(shares(), metadata()), null);
        file = dir.resolve("wallets.dsks");
        ks.store(FileStoreParameter.of(file));
        before = Files.readAllBytes(file);
        vault.resetCounters();
    }

    static byte[] shares() throws Exception {
        return AzureStores.fixture("evm-2of2/server-key-shares.json");
    }

    static byte[] metadata() throws Exception {
        return AzureStores.fixture("evm-2of2/wallet-metadata.json");
    }

    DynamicShareKeyStore load() throws Exception {
        DynamicShareKeyStore ks = stores.provider().newKeyStore();
        ks.load(FileStoreParameter.of(file));
        return ks;
    }

    /**
     * The failed operation left the file alone, and the in-memory store is unchanged too: storing it writes the
     * same file byte for byte (an unchanged store keeps its generation), with no vault call.
     */
    void assertUnchanged(DynamicShareKeyStore ks) throws Exception {
        assertArrayEquals(before, Files.readAllBytes(file));
        vault.faults().clear();
        vault.resetCounters();
        ks.store(FileStoreParameter.of(file));
        assertArrayEquals(before, Files.readAllBytes(file), "same store id, store key block, entries and generation");
        assertEquals(0, vault.calls("sign"), "the store key block is written as it was, not signed again");
    }

    static void assertContains(String text, String... parts) {
        for (String p : parts) {
            assertTrue(text.contains(p), () -> "expected \"" + p + "\" in: " + text);
        }
    }

    @Test
    void disabledKeyVersion() throws Exception {
        DynamicShareKeyStore ks = load();
        String v1 = vault.latestKid(keyName);
        vault.setEnabled(v1, false);
        UnrecoverableEntryException e = assertThrows(UnrecoverableEntryException.class, () -> ks.getEntry(ALIAS, null));
        assertContains(e.getMessage(), "alias '" + ALIAS + "'", v1, "Forbidden", "403");
        KeyStoreException w = assertThrows(KeyStoreException.class,
                () -> stores.newStore(stores.provider()).setEntry("x", WalletEntry.of(shares(), metadata()), null));
        assertContains(w.getMessage(), "alias 'x'", keyName, "no enabled, unexpired version");
        vault.setEnabled(v1, true);
        assertUnchanged(ks);
    }

    @Test
    void deletedKey() throws Exception {
        DynamicShareKeyStore ks = load();
        vault.deleteKey(keyName);
        UnrecoverableEntryException e = assertThrows(UnrecoverableEntryException.class, () -> ks.getEntry(ALIAS, null));
        assertContains(e.getMessage(), "alias '" + ALIAS + "'", keyName, "KeyNotFound", "404");
        assertArrayEquals(before, Files.readAllBytes(file));
        assertThrows(java.io.IOException.class, this::load, "a store whose store key cannot be vouched for or unwrapped does not load");
    }

    @Test
    void throttlingBurstIsRetriedHonouringRetryAfter() throws Exception {
        DynamicShareKeyStore ks = load();
        vault.resetCounters();
        vault.faults().throttleNext(2, 1, "unwrapKey");
        long start = System.nanoTime();
        assertArrayEquals(shares(), ks.getKey(ALIAS, null).getEncoded());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(3, vault.calls("unwrapKey"), "two 429s, then success");
        assertTrue(millis >= 1900, "waited for Retry-After: 1 twice, took " + millis + " ms");
        assertUnchanged(ks);
    }

    @Test
    void persistentThrottlingGivesAClearError() throws Exception {
        DynamicShareKeyStore ks = load();
        vault.faults().throttleNext(10, 0, "unwrapKey");
        UnrecoverableEntryException e = assertThrows(UnrecoverableEntryException.class, () -> ks.getEntry(ALIAS, null));
        assertContains(e.getMessage(), "alias '" + ALIAS + "'", "Throttled", "429", keyName);
        assertUnchanged(ks);
    }

    @Test
    void serverErrorBurstIsRetried() throws Exception {
        DynamicShareKeyStore ks = load();
        vault.resetCounters();
        vault.faults().failNext(2, 503, "unwrapKey");
        assertArrayEquals(shares(), ks.getKey(ALIAS, null).getEncoded());
        assertEquals(3, vault.calls("unwrapKey"));
        assertUnchanged(ks);
    }

    @Test
    void droppedConnectionsAreRetried() throws Exception {
        DynamicShareKeyStore ks = load();
        vault.faults().dropNext(1, "unwrapKey");
        assertArrayEquals(shares(), ks.getKey(ALIAS, null).getEncoded());
        assertUnchanged(ks);
    }

    @Test
    void failedWrapLeavesTheStoreUnchanged() throws Exception {
        Properties oct = new Properties();
        vault.createOctHsmKey(keyName + "oct");
        oct.setProperty("kek", vault.vaultUrl() + "/keys/" + keyName + "oct");
        AzureStores hsm = new AzureStores(vault, dir.resolve("hsm"), keyName + "oct", oct);
        DynamicShareKeyStore ks = hsm.newStore(hsm.provider());
        ks.setEntry("a", WalletEntry.of(shares(), metadata()), null);
        byte[] good = AzureStores.bytes(ks);
        vault.faults().failNext(10, 500, "wrapKey");
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.setEntry("b", WalletEntry.of(shares(), metadata()), null));
        assertContains(e.getMessage(), "alias 'b'", "wrapKey", "500", keyName + "oct");
        vault.faults().clear();
        assertFalse(ks.containsAlias("b"));
        assertArrayEquals(good, AzureStores.bytes(ks), "the failed write changed nothing: same bytes, same generation");
    }

    @Test
    void unreachableVault() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Properties elsewhere = new Properties();
        elsewhere.setProperty("kek", "https://127.0.0.1:" + closedPort + "/keys/" + keyName);
        elsewhere.setProperty("azure.maxRetries", "1");
        AzureStores gone = new AzureStores(vault, dir.resolve("gone"), keyName, elsewhere);
        DynamicShareKeyStore ks = gone.newStore(gone.provider());
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.setEntry("a", WalletEntry.of(shares(), metadata()), null));
        assertContains(e.getMessage(), "alias 'a'", "could not be reached", "127.0.0.1:" + closedPort);
        assertEquals(0, ks.size());
    }
}
