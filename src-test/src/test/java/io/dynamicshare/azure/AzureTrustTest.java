package io.dynamicshare.azure;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.envelope.KeyCommitment;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.KekInventory;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import static io.dynamicshare.azure.AzureKeyStoreTest.WALLETS;
import static io.dynamicshare.azure.AzureKeyStoreTest.metadata;
import static io.dynamicshare.azure.AzureKeyStoreTest.shares;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store key's anchor on Azure (docs/SECURITY.md section 2), counted call by call at the Key Vault test double:
 * an RSA key signs the store key once per store creation or rekey and is never asked to unwrap anything before
 * that signature verifies; an oct-HSM key's wrap is its own anchor. The attacker A1 (writes the file, knows every
 * public key, cannot use the vault as the application) cannot make a store that loads.
 *
 * <p>Counting: the double counts every request routed to an operation, including the unauthenticated request the
 * SDK sends to learn a vault's authentication challenge (the SDK keeps the challenge per vault for the whole JVM, so
 * whether a test sees one depends on what ran before). Exact numbers below are of <em>successful</em> calls;
 * {@link #assertOnlyChallengesFailed} checks that every other call was such a challenge.
 */
class AzureTrustTest {
    static KeyVaultTestDouble vault;
    static VaultAdmin admin;
    /** The Key Vault operations (token and discovery requests go to the emulated Entra ID, not to the vault). */
    static final List<String> VAULT_OPERATIONS = List.of("createKey", "getKey", "listKeys", "listKeyVersions",
            "updateKey", "deleteKey", "wrapKey", "unwrapKey", "sign", "verify");
    @TempDir
    Path dir;
    String keyName;
    String kid;
    AzureStores stores;
    Path file;

    @BeforeAll
    static void startVault() {
        vault = KeyVaultTestDouble.start();
        admin = new VaultAdmin(vault);
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    @BeforeEach
    void rsaKey(TestInfo info) throws Exception {
        keyName = info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
        kid = info.getTestMethod().orElseThrow().getName().startsWith("octHsm")
                ? vault.createOctHsmKey(keyName) : vault.createRsaKey(keyName, 2048);
        stores = new AzureStores(vault, dir, keyName, new Properties());
        file = dir.resolve("wallets.dsks");
        vault.faults().clear();
        vault.resetCounters();
    }

    /** Successful calls per vault operation, only the non-zero ones. */
    static Map<String, Long> vaultCalls() {
        Map<String, Long> out = new TreeMap<>();
        for (String op : VAULT_OPERATIONS) {
            if (vault.successfulCalls(op) > 0) {
                out.put(op, vault.successfulCalls(op));
            }
        }
        return out;
    }

    /** Every vault call that did not succeed was a new client's unauthenticated first request (401 challenge). */
    static void assertOnlyChallengesFailed() {
        long failed = 0;
        for (String op : VAULT_OPERATIONS) {
            failed += vault.calls(op) - vault.successfulCalls(op);
        }
        assertEquals(vault.challenges(), failed, "failed calls other than challenges: " + vault.callCounts());
    }

    /** A store with the four fixture wallets, written to {@link #file} by a fresh provider. */
    DynamicShareKeyStore createStore() throws Exception {
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        ks.store(FileStoreParameter.of(file));
        return ks;
    }

    DynamicShareKeyStore loadFresh(Path from) throws Exception {
        DynamicShareKeyStore ks = stores.provider().newKeyStore();
        ks.load(FileStoreParameter.of(from));
        return ks;
    }

    static void assertAllWalletsOpen(DynamicShareKeyStore ks) throws Exception {
        for (int i = 0; i < WALLETS.length; i++) {
            assertArrayEquals(shares(i), ks.getKey(WALLETS[i][1], null).getEncoded(), WALLETS[i][0]);
        }
    }

    // ---- RSA ----

    @Test
    void rsaStoreCreationCostsOneSignAndNoUnwrap() throws Exception {
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        // Opening the key for the first wrap: the version list, then getKey of the newest version (its type, size,
        // state, operations and public key). The wraps themselves are local (RSA-OAEP-256 with the public key).
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L), vaultCalls());
        ks.store(FileStoreParameter.of(file));
        // The store key: wrapped locally, and signed in the vault once (PS256). Nothing is unwrapped.
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L, "sign", 1L), vaultCalls());
        assertEquals(0, vault.calls("unwrapKey"));
        assertEquals(0, vault.calls("wrapKey"));
        assertOnlyChallengesFailed();

        StoreFile written = StoreFile.parse(Files.readAllBytes(file));
        List<KekSignature> sigs = written.block().signatures();
        assertEquals(1, sigs.size());
        assertEquals(kid, sigs.get(0).signer().value());
        assertEquals(256, sigs.get(0).value().length, "PS256 by RSA-2048");
        assertEquals(1, written.block().epoch());
    }

    @Test
    void rsaSetEntryInSteadyStateMakesNoVaultCall() throws Exception {
        DynamicShareKeyStore ks = createStore();
        vault.resetCounters();
        for (int i = 0; i < 100; i++) {
            ks.setEntry("steady-" + i, WalletEntry.of(shares(i % WALLETS.length), metadata(i % WALLETS.length)), null);
        }
        ks.store(FileStoreParameter.of(file));
        // Not one request of any kind, token requests included: wraps are local and the store key block is
        // written as it is (signed once, at creation).
        assertEquals(Map.of(), vault.callCounts());
        assertEquals(WALLETS.length + 100, ks.size());
        assertEquals(2, StoreFile.parse(Files.readAllBytes(file)).generation);
    }

    @Test
    void rsaLoadInAFreshContextCostsOneUnwrapAndOneGetKey() throws Exception {
        createStore();
        vault.resetCounters();
        DynamicShareProvider provider = stores.provider();
        DynamicShareKeyStore ks = provider.newKeyStore();
        ks.load(FileStoreParameter.of(file));
        // getKey x1: the signer version's public key, fetched once to verify the store key's signature locally
        // (no 'verify' call to the vault). unwrapKey x1: the store key, only after the signature verified.
        // Entries are not unwrapped at load; the write version is not resolved at load either (no list call).
        assertEquals(Map.of("getKey", 1L, "unwrapKey", 1L), vaultCalls());
        assertOnlyChallengesFailed();

        // The same context loads again: the public key is cached, so only the store key's unwrap remains.
        vault.resetCounters();
        DynamicShareKeyStore again = provider.newKeyStore();
        again.load(FileStoreParameter.of(file));
        assertEquals(Map.of("unwrapKey", 1L), vaultCalls());
        assertOnlyChallengesFailed();
        assertAllWalletsOpen(again);
    }

    /** The application's own KEK, as a process with the configured credentials opens it. */
    Kek applicationKek() throws Exception {
        return StoreContext.of(StoreConfig.load(stores.configFile)).resolver().resolve(vault.vaultUrl() + "/keys/"
                + keyName);
    }

    /** A1 reads the public key like anyone may: getKey, as an outsider with read access would. */
    RSAPublicKey publicKeyAsA1() {
        return vault.publicKey(kid);
    }

    static final String PLANTED = "0x000000000000000000000000000000000000dEaD";

    byte[] forge(StoreFile.Signer signer) throws Exception {
        byte[] forged = StoreFile.forgeRsa(KekId.of(kid), publicKeyAsA1(), signer, PLANTED, shares(0), metadata(0));
        Files.write(dir.resolve("forged.dsks"), forged);
        return forged;
    }

    /** The forged file is refused as an integrity failure, and nothing was unwrapped (nor signed) to find out. */
    void assertForgeryRefused(String... messageParts) throws Exception {
        vault.resetCounters();
        StoreIntegrityException e = assertThrows(StoreIntegrityException.class,
                () -> loadFresh(dir.resolve("forged.dsks")));
        for (String p : messageParts) {
            assertTrue(e.getMessage().contains(p), () -> "expected \"" + p + "\" in: " + e.getMessage());
        }
        assertEquals(0, vault.calls("unwrapKey"), "the signature is checked first: " + vault.callCounts());
        assertEquals(0, vault.calls("sign"));
        assertEquals(0, vault.calls("verify"), "signatures are verified locally");
    }

    @Test
    void forgedStoreWithoutSignatureIsRefusedBeforeAnyVaultCall() throws Exception {
        forge(statement -> List.of());
        assertForgeryRefused("the store failed its integrity check", "not anchored", "no allowed KEK signed it");
        assertEquals(Map.of(), vaultCalls(), "refused from the file alone");
    }

    @Test
    void forgedStoreWithAGenuineSignatureLiftedFromAnotherStoreIsRefused() throws Exception {
        createStore();
        KekSignature genuine = StoreFile.parse(Files.readAllBytes(file)).block().signatures().get(0);
        forge(statement -> List.of(genuine)); // the vault's real signature, over another store's statement
        assertForgeryRefused("the store failed its integrity check", "signature by " + kid, "does not verify");
        assertEquals(Map.of("getKey", 1L), vaultCalls(), "only the signer's public key was fetched");
    }

    @Test
    void forgedStoreWithAMadeUpSignatureIsRefused() throws Exception {
        forge(statement -> List.of(new KekSignature(KekId.of(kid), StoreFile.random(256))));
        assertForgeryRefused("does not verify");
    }

    @Test
    void forgedStoreSignedByAKeyTheConfigurationDoesNotAllowIsRefusedWithoutContactingIt() throws Exception {
        // A1 cannot use this key either, but even a valid signature by a key outside the configuration vouches
        // for nothing, and that key is never asked for its public key.
        String foreign = vault.createRsaKey(keyName + "-foreign", 2048);
        forge(statement -> List.of(new KekSignature(KekId.of(foreign), StoreFile.random(256))));
        assertForgeryRefused("not anchored");
        assertEquals(Map.of(), vaultCalls());
    }

    @Test
    void forgedStoreClaimingAnAesWrapByTheRsaKeyIsRefused() throws Exception {
        // A1 labels the store key's recipient as an AES key wrap (KEKRecipientInfo, A256KW) under the RSA version's
        // id, so that no signature is asked for. The store then relies on the vault: Key Vault does not unwrap
        // A256KW with an RSA key. Nothing is unwrapped, but one (refused) unwrapKey request does reach the vault:
        // the anchor's "signature first" is decided by the recipient's claimed algorithm, not by the key's type.
        byte[] storeId = StoreFile.random(16);
        byte[] storeKey = StoreFile.random(32);
        byte[] block = Arrays.copyOf(storeKey, 64);
        System.arraycopy(StoreFile.purposeTag(storeId, 1), 0, block, 32, 32);
        WrappedKey claimed = new WrappedKey(KekId.of(kid), WrapAlgorithm.AES_KW_256,
                KeyWrapCiphers.aesKeyWrap(new SecretKeySpec(StoreFile.random(32), "AES"), block));
        byte[] blockDer = StoreFile.blockDer(1, KeyCommitment.of(storeKey, KeyCommitment.STORE_KEY), List.of(claimed),
                List.of());
        Files.write(dir.resolve("forged.dsks"), StoreFile.write(storeId, 1, storeKey, blockDer, List.of()));
        vault.resetCounters();
        IOException e = assertThrows(IOException.class, () -> loadFresh(dir.resolve("forged.dsks")));
        assertTrue(e.getMessage().contains(kid), e.getMessage());
        assertEquals(Map.of(), vaultCalls(), "nothing succeeded: " + vault.callCounts());
        assertEquals(0, vault.calls("sign"));
    }

    @Test
    void theForgeryIsWellMadeTheApplicationsSignatureAloneMakesItLoad() throws Exception {
        // Control for the forgery tests: the same builder, with the one thing A1 lacks (a signature by the vault
        // key, made here as the application), produces a store that loads and whose planted entry opens. So the
        // refusals above are for the signature, not for a malformed file.
        Kek kek = applicationKek();
        forge(statement -> List.of(kek.sign(statement)));
        vault.resetCounters();
        DynamicShareKeyStore ks = loadFresh(dir.resolve("forged.dsks"));
        assertEquals(Map.of("getKey", 1L, "unwrapKey", 1L), vaultCalls());
        assertArrayEquals(shares(0), ks.getKey(PLANTED, null).getEncoded());
        assertTrue(ks.verify().isEmpty());
    }

    @Test
    void rsaRekeyDrawsANewSignedStoreKeyAndKeepsTheShares() throws Exception {
        createStore();
        StoreFile before = StoreFile.parse(Files.readAllBytes(file));
        DynamicShareKeyStore ks = loadFresh(file);
        assertEquals(1, ks.inventory().keyEpoch());

        vault.resetCounters();
        assertEquals(0, ks.rekey(100), "one batch re-seals all four entries");
        // sign x1: the new store key. unwrapKey x4: each entry's old data key (cold cache), to re-encrypt its
        // shares under a fresh one. listKeyVersions + getKey: the write version, first resolved in this context.
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L, "sign", 1L, "unwrapKey", 4L), vaultCalls());
        assertOnlyChallengesFailed();
        ks.store(FileStoreParameter.of(file));

        KekInventory inv = ks.inventory();
        assertEquals(2, inv.keyEpoch());
        assertEquals(0, inv.entriesBehindKeyEpoch());
        assertEquals(Set.of(kid), inv.versionsInUse());
        assertAllWalletsOpen(ks);

        StoreFile after = StoreFile.parse(Files.readAllBytes(file));
        assertEquals(2, after.block().epoch());
        assertEquals(1, after.block().signatures().size(), "re-signed: one signature, for the new epoch");
        assertFalse(Arrays.equals(before.block().signatures().get(0).value(), after.block().signatures().get(0).value()));
        assertFalse(Arrays.equals(before.block().recipients().get(0).bytes(), after.block().recipients().get(0).bytes()),
                "a new store key");
        for (int i = 0; i < WALLETS.length; i++) {
            StoreFile.Entry was = before.entries.get(i);
            StoreFile.Entry now = after.entries.get(i);
            assertEquals(was.alias(), now.alias(), "file order kept");
            assertFalse(Arrays.equals(was.cms(), now.cms()), "re-encrypted under a fresh data key");
            assertFalse(Arrays.equals(was.tag(), now.tag()), "tagged under the new store key");
        }

        vault.resetCounters();
        DynamicShareKeyStore reloaded = loadFresh(file);
        assertEquals(Map.of("getKey", 1L, "unwrapKey", 1L), vaultCalls());
        assertEquals(2, reloaded.inventory().keyEpoch());
        assertAllWalletsOpen(reloaded);
        assertTrue(reloaded.verify().isEmpty());
    }

    // ---- oct-HSM: the HSM's wrap is the anchor ----

    @Test
    void octHsmStoreCreationCostsOneWrapAndNoSign() throws Exception {
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        // An oct-HSM key wraps in the HSM: one wrapKey per entry, after list + getKey to open the key.
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L, "wrapKey", (long) WALLETS.length), vaultCalls());
        vault.resetCounters();
        ks.store(FileStoreParameter.of(file));
        assertEquals(Map.of("wrapKey", 1L), vaultCalls(), "the store key: one wrap, no signature");
        assertEquals(0, vault.calls("sign"));
        assertEquals(0, vault.calls("unwrapKey"));
        assertOnlyChallengesFailed();

        StoreFile written = StoreFile.parse(Files.readAllBytes(file));
        assertTrue(written.block().signatures().isEmpty());
        assertEquals(WrapAlgorithm.AES_KW_256, written.block().recipients().get(0).algorithm());
        assertEquals(kid, written.block().recipients().get(0).kekId().value());

        vault.resetCounters();
        DynamicShareKeyStore loaded = loadFresh(file);
        assertEquals(Map.of("unwrapKey", 1L), vaultCalls(), "load: the store key's unwrap, no public key to fetch");
        assertAllWalletsOpen(loaded);
    }

    @Test
    void octHsmRekeyWrapsANewStoreKeyWithoutSigning() throws Exception {
        createStore();
        DynamicShareKeyStore ks = loadFresh(file);
        vault.resetCounters();
        assertEquals(0, ks.rekey(100));
        // wrapKey: 1 for the new store key + 4 fresh data keys; unwrapKey x4: the old data keys.
        assertEquals(Map.of("listKeyVersions", 1L, "getKey", 1L, "wrapKey", 5L, "unwrapKey", 4L), vaultCalls());
        ks.store(FileStoreParameter.of(file));
        assertEquals(2, ks.inventory().keyEpoch());
        DynamicShareKeyStore reloaded = loadFresh(file);
        assertEquals(2, reloaded.inventory().keyEpoch());
        assertAllWalletsOpen(reloaded);
    }

    @Test
    void octHsmForgedStoreIsRefusedByTheHsm() throws Exception {
        // A1 has no use of the HSM key, so they wrap their store key block with an AES key of their own under the
        // vault key's id. The HSM's unwrap (RFC 3394 integrity check) refuses it: the wrap is the anchor.
        byte[] storeId = StoreFile.random(16);
        byte[] storeKey = StoreFile.random(32);
        byte[] block = Arrays.copyOf(storeKey, 64);
        System.arraycopy(StoreFile.purposeTag(storeId, 1), 0, block, 32, 32);
        WrappedKey wrapped = new WrappedKey(KekId.of(kid), WrapAlgorithm.AES_KW_256,
                KeyWrapCiphers.aesKeyWrap(new SecretKeySpec(StoreFile.random(32), "AES"), block));
        byte[] blockDer = StoreFile.blockDer(1, KeyCommitment.of(storeKey, KeyCommitment.STORE_KEY), List.of(wrapped),
                List.of());
        Files.write(dir.resolve("forged.dsks"), StoreFile.write(storeId, 1, storeKey, blockDer, List.of()));
        vault.resetCounters();
        IOException e = assertThrows(IOException.class, () -> loadFresh(dir.resolve("forged.dsks")));
        assertTrue(e instanceof io.dynamicshare.store.StoreIntegrityException, "a forgery, not a vault outage: " + e);
        assertTrue(e.getMessage().contains("could not unwrap") && e.getMessage().contains(kid), e.getMessage());
        // The only vault request is the unwrap (no signature to check), so a challenge, if any, was on it.
        assertEquals(1, vault.calls("unwrapKey") - vault.challenges(), "one unwrap, refused: " + vault.callCounts());
        assertEquals(Map.of(), vaultCalls(), "nothing succeeded");
    }
}
