package io.dynamicshare.azure;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.KekInventory;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyStoreException;
import java.security.UnrecoverableEntryException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static io.dynamicshare.azure.AzureKeyStoreTest.WALLETS;
import static io.dynamicshare.azure.AzureKeyStoreTest.metadata;
import static io.dynamicshare.azure.AzureKeyStoreTest.shares;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hierarchical mode (branch keys) on Azure, counted call by call at the Key Vault test double: after a branch key
 * version is unwrapped once per provider, a {@code setEntry} and a cold {@code getEntry} of any wallet make no vault
 * call; a vault outage after warm-up leaves every wallet readable for the cache period (direct mode: only the cached
 * ones); rotation, rewrap and rekey cost a handful of calls whatever the number of wallets.
 */
class AzureBranchKeyTest {
    static KeyVaultTestDouble vault;
    @TempDir
    Path dir;
    String keyName;
    String kid;
    Path file;

    @BeforeAll
    static void startVault() {
        vault = KeyVaultTestDouble.start();
    }

    /** Successful calls per Key Vault operation, only the non-zero ones. */
    static Map<String, Long> vaultCalls() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String op : AzureTrustTest.VAULT_OPERATIONS) {
            if (vault.successfulCalls(op) > 0) {
                out.put(op, vault.successfulCalls(op));
            }
        }
        return out;
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    @BeforeEach
    void key(TestInfo info) {
        keyName = info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
        kid = keyName.startsWith("octhsm") ? vault.createOctHsmKey(keyName) : vault.createRsaKey(keyName, 2048);
        file = dir.resolve("wallets.dsks");
        vault.faults().clear();
        vault.resetCounters();
    }

    AzureStores stores(String mode, String cacheSeconds) throws Exception {
        Properties p = new Properties();
        p.setProperty("kek.mode", mode);
        if (cacheSeconds != null) {
            p.setProperty("branchKey.cacheSeconds", cacheSeconds);
        }
        return new AzureStores(vault, dir.resolve(mode), keyName, p);
    }

    /** The four fixture wallets and {@code extra} more copies of wallet 3, stored to {@link #file}. */
    DynamicShareKeyStore create(AzureStores stores, int extra) throws Exception {
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        for (int i = 0; i < extra; i++) {
            ks.setEntry("extra-" + i, WalletEntry.of(shares(3), metadata(3)), null);
        }
        ks.store(FileStoreParameter.of(file));
        return ks;
    }

    DynamicShareKeyStore load(AzureStores stores) throws Exception {
        DynamicShareKeyStore ks = stores.provider().newKeyStore();
        ks.load(FileStoreParameter.of(file));
        return ks;
    }

    static void assertOpens(DynamicShareKeyStore ks, int wallet) throws Exception {
        assertArrayEquals(shares(wallet), ks.getKey(WALLETS[wallet][1], null).getEncoded(), WALLETS[wallet][0]);
    }

    @Test
    void rsaSteadyStateSetEntryAndColdGetEntryMakeNoVaultCall() throws Exception {
        AzureStores stores = stores("hierarchical", null);
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        ks.setEntry(WALLETS[0][1], WalletEntry.of(shares(0), metadata(0)), null);
        // The first hierarchical write makes branch key version 1: wrapped locally, signed once in the vault.
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L, "sign", 1L), vaultCalls());
        assertEquals("branch key v1", WalletAttributes.get(ks.getEntry(WALLETS[0][1], null), WalletAttributes.KEK_ID));
        vault.resetCounters();
        for (int i = 1; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        for (int i = 0; i < 20; i++) {
            ks.setEntry("extra-" + i, WalletEntry.of(shares(3), metadata(3)), null);
        }
        assertEquals(Map.of(), vaultCalls(), "setEntry in steady state");
        ks.store(FileStoreParameter.of(file));
        assertEquals(Map.of("sign", 1L), vaultCalls(), "the store key, at the first store");

        // A new process: load unwraps the store key; the first cold read unwraps branch key v1, and that is all.
        DynamicShareKeyStore reader = load(stores);
        vault.resetCounters();
        assertOpens(reader, 0);
        assertEquals(Map.of("unwrapKey", 1L), vaultCalls());
        vault.resetCounters();
        for (int i = 1; i < WALLETS.length; i++) {
            assertOpens(reader, i);
        }
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(shares(3), reader.getKey("extra-" + i, null).getEncoded());
        }
        assertEquals(Map.of(), vaultCalls(), "cold getEntry of 23 wallets after warm-up");
        // This process's first write asks the vault once which KEK version is the newest (writers wrap only under
        // a version that version alone anchored, docs/SECURITY.md section 9); the answer holds for the cache period.
        reader.setEntry("written-by-reader", WalletEntry.of(shares(2), metadata(2)), null);
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L), vaultCalls(), "a process's first setEntry");
        vault.resetCounters();
        for (int i = 0; i < 20; i++) {
            reader.setEntry("written-by-reader-" + i, WalletEntry.of(shares(2), metadata(2)), null);
        }
        assertEquals(Map.of(), vaultCalls(), "setEntry after the first one");
        assertTrue(reader.verify().isEmpty());

        // A reload in the same provider finds the branch key still unwrapped.
        var provider = stores.provider();
        DynamicShareKeyStore first = provider.newKeyStore();
        first.load(FileStoreParameter.of(file));
        assertOpens(first, 1);
        vault.resetCounters();
        DynamicShareKeyStore again = provider.newKeyStore();
        again.load(FileStoreParameter.of(file));
        assertOpens(again, 2);
        assertEquals(Map.of("unwrapKey", 1L), vaultCalls(), "only the store key of the reload");
    }

    @Test
    void octHsmBranchKeySavesTheWrapKeyCallOfEveryWrite() throws Exception {
        AzureStores direct = stores("direct", null);
        DynamicShareKeyStore d = direct.newStore(direct.provider());
        vault.resetCounters();
        for (int i = 0; i < WALLETS.length; i++) {
            d.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        assertEquals(4L, vaultCalls().get("wrapKey"), "direct mode: an AES KEK wraps in the HSM, once per write");

        AzureStores stores = stores("hierarchical", null);
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        ks.setEntry("first", WalletEntry.of(shares(0), metadata(0)), null);
        vault.resetCounters();
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        assertEquals(Map.of(), vaultCalls(), "hierarchical mode: no vault call per write");
        ks.store(FileStoreParameter.of(file));
        DynamicShareKeyStore reader = load(stores);
        vault.resetCounters();
        for (int i = 0; i < WALLETS.length; i++) {
            assertOpens(reader, i);
        }
        assertEquals(Map.of("unwrapKey", 1L), vaultCalls(), "one unwrap of the branch key, none per wallet");
    }

    @Test
    void outageAfterWarmUpHierarchicalReadsEveryWalletForTheCachePeriod() throws Exception {
        AzureStores stores = stores("hierarchical", "2");
        create(stores, 1);
        DynamicShareKeyStore reader = load(stores);
        assertOpens(reader, 0); // warm-up: branch key v1 unwrapped
        vault.resetCounters();
        vault.faults().deny(keyName, "unwrapKey");
        vault.faults().deny(keyName, "getKey");
        for (int i = 1; i < WALLETS.length; i++) {
            assertOpens(reader, i); // cold: their data keys were never unwrapped in this process
        }
        assertEquals(0, vault.successfulCalls("unwrapKey"));
        // Past the cache period the branch key must be unwrapped again, and the outage shows.
        Thread.sleep(2_200);
        UnrecoverableEntryException e = assertThrows(UnrecoverableEntryException.class,
                () -> reader.getEntry("extra-0", null));
        assertTrue(e.getMessage().contains("extra-0"), e.getMessage());
        vault.faults().clear();
        assertArrayEquals(shares(3), reader.getKey("extra-0", null).getEncoded(), "readable again once the vault is");
    }

    @Test
    void outageAfterWarmUpDirectReadsOnlyCachedWallets() throws Exception {
        AzureStores stores = stores("direct", null);
        create(stores, 0);
        DynamicShareKeyStore reader = load(stores);
        assertOpens(reader, 0);
        vault.faults().deny(keyName, "unwrapKey");
        assertOpens(reader, 0); // its data key is cached
        for (int i = 1; i < WALLETS.length; i++) {
            int wallet = i;
            assertThrows(UnrecoverableEntryException.class, () -> reader.getEntry(WALLETS[wallet][1], null));
        }
    }

    @Test
    void rotationRewrapAndRekeyCostAHandfulOfCallsWhateverTheNumberOfWallets() throws Exception {
        AzureStores stores = stores("hierarchical", null);
        create(stores, 40);
        DynamicShareKeyStore ks = load(stores);
        vault.resetCounters();
        assertEquals(2, ks.rotateBranchKey());
        // A new version: one sign (plus opening the write key in this new process: its version list and getKey).
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L, "sign", 1L), vaultCalls());
        ks.setEntry("after-rotation", WalletEntry.of(shares(1), metadata(1)), null);
        assertEquals("branch key v2", WalletAttributes.get(ks.getEntry("after-rotation", null), WalletAttributes.KEK_ID));
        assertOpens(ks, 0); // a v1 entry: one unwrap of v1
        KekInventory inv = ks.inventory();
        assertEquals(Map.of(1L, 44, 2L, 1), inv.branchKeys().entriesByVersion());
        assertEquals(2, inv.branchKeys().activeVersion());

        // rewrap moves the 44 v1 entries to v2 locally (v1 is cached since the read above): it only asks the vault
        // for the newest KEK version.
        vault.resetCounters();
        assertEquals(0, ks.rewrap(null, 1000));
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L), vaultCalls());
        assertEquals(Map.of(2L, 45), ks.inventory().branchKeys().entriesByVersion());
        ks.store(FileStoreParameter.of(file));

        // The vault key rotates: rewrap re-anchors the store key, draws a fresh branch key version (v3, made by the new
        // KEK version: a re-anchored old one must never be written under again, RedTeamBranchKeyRewrapTest) and
        // re-anchors v2, the one version entries use, for reading while they move to v3; nothing per entry.
        String v1 = kid;
        String v2 = vault.newVersion(keyName);
        DynamicShareKeyStore rotated = load(stores);
        vault.resetCounters();
        assertEquals(0, rotated.rewrap(null, 1000));
        Map<String, Long> calls = vaultCalls();
        assertEquals(3L, calls.get("sign"), "store key, fresh branch key v3, v2 re-anchored (v1, unused, is not): "
                + calls);
        assertEquals(Map.of(3L, 45), rotated.inventory().branchKeys().entriesByVersion());
        assertEquals(3, rotated.inventory().branchKeys().activeVersion());
        assertEquals(v1, rotated.inventory().branchKeys().anchors().get(1L), "unused v1 keeps its old anchor");
        assertTrue(calls.getOrDefault("unwrapKey", 0L) <= 2, "at most the two branch key versions: " + calls);
        assertEquals(Set.of(v2), rotated.inventory().versionsInUse());
        rotated.store(FileStoreParameter.of(file));
        vault.setEnabled(v1, false);
        DynamicShareKeyStore afterRetire = load(stores);
        for (int i = 0; i < WALLETS.length; i++) {
            assertOpens(afterRetire, i);
        }

        // rekey: a fresh store key and a fresh branch key version; the old versions go once no entry uses them.
        vault.resetCounters();
        assertEquals(0, afterRetire.rekey(1000));
        KekInventory done = afterRetire.inventory();
        assertEquals(Map.of(4L, 45), done.branchKeys().entriesByVersion());
        assertEquals(Set.of(4L), done.branchKeys().anchors().keySet(), "versions 1 to 3 removed");
        assertEquals(2L, vaultCalls().get("sign"), "store key and branch key v4: " + vaultCalls());
        afterRetire.store(FileStoreParameter.of(file));
        DynamicShareKeyStore reread = load(stores);
        for (int i = 0; i < WALLETS.length; i++) {
            assertOpens(reread, i);
        }
        assertTrue(reread.verify().isEmpty());
    }

    @Test
    void switchingModesMovesEntriesOnRewrapAndBothKindsRead() throws Exception {
        AzureStores direct = stores("direct", null);
        create(direct, 0);
        AzureStores hierarchical = new AzureStores(vault, dir.resolve("switched"), keyName, props("hierarchical"));
        DynamicShareKeyStore ks = load(hierarchical);
        ks.setEntry("branch-wrapped", WalletEntry.of(shares(1), metadata(1)), null);
        assertOpens(ks, 0);
        assertEquals(4, ks.rewrap(null, 1) + 1, "three of the four KEK-wrapped entries remain after a batch of one");
        assertEquals(0, ks.rewrap(null, 100));
        assertEquals(Map.of(), ks.inventory().entriesByKek());
        assertEquals(Map.of(1L, 5), ks.inventory().branchKeys().entriesByVersion());
        ks.store(FileStoreParameter.of(file));

        DynamicShareKeyStore back = load(direct);
        assertEquals(0, back.rewrap(null, 100));
        assertEquals(Map.of(), back.inventory().branchKeys().entriesByVersion());
        assertEquals(5, back.inventory().entriesByKek().get(kid));
        assertEquals(0, back.rekey(100));
        assertEquals(Map.of(), back.inventory().branchKeys().anchors(), "rekey in direct mode drops unused versions");
        assertThrows(KeyStoreException.class, back::rotateBranchKey, "direct mode uses no branch key");
    }

    static Properties props(String mode) {
        Properties p = new Properties();
        p.setProperty("kek.mode", mode);
        return p;
    }
}
