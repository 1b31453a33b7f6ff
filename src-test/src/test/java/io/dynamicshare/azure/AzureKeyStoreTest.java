package io.dynamicshare.azure;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Azure KEK end to end through the standard KeyStore API, over real HTTPS to the Key Vault test
 * double, authenticated by the real ClientSecretCredential.
 */
class AzureKeyStoreTest {
    static KeyVaultTestDouble vault;
    @TempDir
    Path dir;
    AzureStores stores;
    String keyName;

    static final String[][] WALLETS = {
            {"evm-2of2", "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A"},
            {"evm-2of3", "0xAcC93AE6A862804744Aa2f146F8e45CAb0a7655b"},
            {"btc-taproot-2of2", "bc1ptpf8k89ufdyqzrq7x6a3n8sjtju7mujp7yvp65zphn7887w8axaqute285"},
            {"svm-2of2", "8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjsa5iiGNBJ"}};

    @BeforeAll
    static void startVault() throws Exception {
        vault = KeyVaultTestDouble.start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    @BeforeEach
    void key(TestInfo info) throws Exception {
        keyName = info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
        vault.createRsaKey(keyName, 2048);
        stores = new AzureStores(vault, dir, keyName, new Properties());
        vault.faults().clear();
        vault.resetCounters();
    }

    static byte[] shares(int i) throws Exception {
        return AzureStores.fixture(WALLETS[i][0] + "/server-key-shares.json");
    }

    static byte[] metadata(int i) throws Exception {
        return AzureStores.fixture(WALLETS[i][0] + "/wallet-metadata.json");
    }

    @Test
    void everyFixtureWalletRoundTrips() throws Exception {
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        byte[] file = AzureStores.bytes(ks);
        DynamicShareKeyStore again = stores.open(stores.provider(), file);
        String version = vault.latestKid(keyName);
        for (int i = 0; i < WALLETS.length; i++) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) again.getEntry(WALLETS[i][1], null);
            assertArrayEquals(shares(i), e.getSecretKey().getEncoded(), WALLETS[i][0]);
            assertEquals(AzureStores.utf8(metadata(i)), WalletAttributes.get(e, WalletAttributes.WALLET_METADATA));
            assertEquals(version, WalletAttributes.get(e, WalletAttributes.KEK_ID), "the entry records the exact version");
        }
    }

    @Test
    void tenThousandReadsOfAHundredWalletsCostAHundredUnwraps() throws Exception {
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        for (int i = 0; i < 100; i++) {
            ks.setEntry("wallet-" + i, WalletEntry.of(shares(2), metadata(2)), null);
        }
        byte[] file = AzureStores.bytes(ks);
        DynamicShareKeyStore again = stores.open(stores.provider(), file);
        vault.resetCounters(); // the load's own unwrap (of the store key) is not a read
        for (int n = 0; n < 10_000; n++) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) again.getEntry("wallet-" + (n % 100), null);
            e.getSecretKey().destroy();
        }
        assertEquals(100, vault.successfulCalls("unwrapKey"));
        assertEquals(100, again.cacheStats().unwrapCalls());
        assertEquals(9_900, again.cacheStats().hits());
    }

    @Test
    void eightConcurrentColdReadsOfOneAliasCauseOneUnwrap() throws Exception {
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        ks.setEntry(WALLETS[0][1], WalletEntry.of(shares(0), metadata(0)), null);
        DynamicShareKeyStore again = stores.open(stores.provider(), AzureStores.bytes(ks));
        vault.resetCounters();
        vault.faults().latency(200); // every reader arrives while the first unwrap is in flight
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<byte[]>> reads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                reads.add(pool.submit(() -> {
                    start.await();
                    return ((KeyStore.SecretKeyEntry) again.getEntry(WALLETS[0][1], null)).getSecretKey().getEncoded();
                }));
            }
            start.countDown();
            for (Future<byte[]> r : reads) {
                assertArrayEquals(shares(0), r.get());
            }
        } finally {
            vault.faults().latency(0);
            pool.shutdownNow();
        }
        assertEquals(1, vault.calls("unwrapKey"));
    }

    @Test
    void setEntryMakesNoVaultCallOnceThePublicKeyIsCached() throws Exception {
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        ks.setEntry("first", WalletEntry.of(shares(0), metadata(0)), null);
        vault.resetCounters();
        for (int i = 0; i < 20; i++) {
            ks.setEntry("w" + i, WalletEntry.of(shares(3), metadata(3)), null);
        }
        assertEquals(0, vault.callCounts().values().stream().mapToLong(Long::longValue).sum(), vault.callCounts().toString());
        assertEquals(21, ks.size());
    }

    @Test
    void rotationNewEntriesUseTheNewVersionOldOnesOpenRewrapMovesThemAll() throws Exception {
        String v1 = vault.latestKid(keyName);
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        byte[] file = AzureStores.bytes(ks);
        String v2 = vault.newVersion(keyName);

        DynamicShareKeyStore after = stores.open(stores.provider(), file);
        after.setEntry("new", WalletEntry.of(shares(3), metadata(3)), null);
        assertEquals(v2, WalletAttributes.get(after.getEntry("new", null), WalletAttributes.KEK_ID));
        assertArrayEquals(shares(0), after.getKey(WALLETS[0][1], null).getEncoded(), "a v1 entry still opens");
        assertEquals(Set.of(v1, v2), after.inventory().versionsInUse());

        assertEquals(2, after.rewrap(null, 2), "two of the four v1 entries remain after a batch of two");
        byte[] halfway = AzureStores.bytes(after);
        DynamicShareKeyStore resumed = stores.open(stores.provider(), halfway);
        assertEquals(0, resumed.rewrap(null, 100));
        assertEquals(Set.of(v2), resumed.inventory().versionsInUse());
        assertEquals(v2, resumed.inventory().storeKek());

        // The ciphertext is untouched: only recipient infos changed, and every entry opens with v1 disabled.
        vault.setEnabled(v1, false);
        DynamicShareKeyStore finalStore = stores.open(stores.provider(), AzureStores.bytes(resumed));
        for (int i = 0; i < WALLETS.length; i++) {
            assertArrayEquals(shares(i), finalStore.getKey(WALLETS[i][1], null).getEncoded());
        }
        assertTrue(finalStore.verify().isEmpty());
    }
}
