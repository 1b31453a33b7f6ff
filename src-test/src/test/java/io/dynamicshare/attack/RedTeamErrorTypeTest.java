package io.dynamicshare.attack;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.testing.EmulatorConfig;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * RED TEAM: A1 can make a forged file fail as a KEY SERVICE problem instead of a StoreIntegrityException, by naming a
 * KEK version that the policy allows (any version of the configured key name) but that is disabled or does not
 * exist. The worst case is the compromise runbook's step 4 ("disable the compromised version"): A1 names exactly that
 * version, and the operator is told "the key version is disabled" (Forbidden) by the store that used to work, i.e.
 * invited to re-enable the compromised version, after which A2's forgery loads.
 *
 * <p>Root cause: StoreKeyAnchor.requireSignature / open (storekey/StoreKeyAnchor.java:146-147, 122) let a KekException
 * from verify/unwrap escape; StoreReader.readV2 (store/StoreReader.java:87) maps only StoreKeyException and
 * UnwrapRefusedException to StoreIntegrityException. Fails today.
 */
class RedTeamErrorTypeTest {
    @TempDir
    static Path dir;
    static KeyVaultTestDouble vault;

    @BeforeAll
    static void start() {
        vault = KeyVaultTestDouble.start();
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    /** A1's store: own store key wrapped with {@code wrapPub} under {@code recipientId}, a garbage signature by {@code signer}. */
    static byte[] forged(String recipientId, PublicKey wrapPub, String signer) throws Exception {
        ForgedStore s = new ForgedStore();
        s.version = 2;
        s.storeId = AttackerCms.random(16);
        s.generation = 7;
        s.mac = new byte[32];
        byte[] own = AttackerCms.random(32);
        s.header = new StoreCrypto.Block(1, StoreCrypto.commitment(own, StoreCrypto.STORE_KEY_COMMITMENT_LABEL),
                List.of(AttackerCms.rsaRecipient(recipientId, wrapPub, StoreCrypto.storeKeyPlaintext(own, s.storeId, 1))),
                signer == null ? List.of() : List.of(new StoreCrypto.Sig(signer, AttackerCms.random(256)))).encode();
        return s.sealV2(own, 1);
    }

    static IOException load(Path config, byte[] file) throws Exception {
        DynamicShareKeyStore ks = new DynamicShareProvider(StoreContext.of(StoreConfig.load(config))).newKeyStore();
        return assertThrows(IOException.class, () -> ks.load(new ByteArrayInputStream(file), null));
    }

    @Test
    void forgedStoreSignedByTheDisabledCompromisedVersionIsAnIntegrityFailure() throws Exception {
        String name = "redkey";
        String v1 = vault.createRsaKey(name, 2048);
        Path config = EmulatorConfig.write(vault, dir.resolve("a"), name, new Properties()); // kek = key name
        String v2 = vault.newVersion(name);
        vault.setEnabled(v1, false); // runbook step 4
        byte[] file = forged(v1, vault.publicKey(v2), v1);
        IOException e = load(config, file);
        assertInstanceOf(StoreIntegrityException.class, e, () -> "A1's forgery reported as: " + Causes.messages(e));
    }

    /**
     * Second review: a version token that is a Key Vault path word ('rotationpolicy') would address another
     * endpoint; it is refused before any call, as a forgery.
     */
    @Test
    void reservedPathWordAsAVersionReachesNoEndpoint() throws Exception {
        String name = "redkey5";
        String v1 = vault.createRsaKey(name, 2048);
        Path config = EmulatorConfig.write(vault, dir.resolve("e"), name, new Properties());
        vault.resetCounters();
        IOException e = load(config, forged(v1, vault.publicKey(v1), vault.vaultUrl() + "/keys/" + name + "/rotationpolicy"));
        java.util.Map<String, Long> calls = vault.callCounts();
        org.junit.jupiter.api.Assertions.assertTrue(calls.values().stream().allMatch(n -> n == 0),
                () -> "calls: " + calls);
        assertInstanceOf(StoreIntegrityException.class, e, () -> Causes.messages(e));
    }

    /**
     * Second review: a genuine store whose signing version has expired (rotation policies set expiry dates) is
     * not called forged: the error says expired, and it is not an integrity failure.
     */
    @Test
    void genuineStoreWithAnExpiredSignerIsNotCalledForged() throws Exception {
        String name = "redkey6";
        String v1 = vault.createRsaKey(name, 2048);
        Path config = EmulatorConfig.write(vault, dir.resolve("f"), name, new Properties());
        DynamicShareKeyStore ks = new DynamicShareProvider(StoreContext.of(StoreConfig.load(config))).newKeyStore();
        ks.load(null, null);
        ks.setEntry(Wallets.EVM.alias(), io.dynamicshare.entry.WalletEntry.of(Wallets.EVM.shares(),
                Wallets.EVM.metadata()), null);
        byte[] file = Victim.bytes(ks);
        vault.setExpires(v1, System.currentTimeMillis() / 1000 - 60);
        IOException e = load(config, file);
        org.junit.jupiter.api.Assertions.assertFalse(e instanceof StoreIntegrityException, () -> Causes.messages(e));
        org.junit.jupiter.api.Assertions.assertTrue(Causes.messages(e).contains("expired"), () -> Causes.messages(e));
    }

    @Test
    void forgedStoreNamingANonexistentVersionIsAnIntegrityFailure() throws Exception {
        String name = "redkey2";
        String v1 = vault.createRsaKey(name, 2048);
        Path config = EmulatorConfig.write(vault, dir.resolve("b"), name, new Properties());
        String bogus = vault.vaultUrl() + "/keys/" + name + "/00000000000000000000000000000000";
        IOException e = load(config, forged(v1, vault.publicKey(v1), bogus));
        assertInstanceOf(StoreIntegrityException.class, e, () -> "A1's forgery reported as: " + Causes.messages(e));
    }

    @Test
    void devAesKekForgedRecipientNamingAnotherVersionIsAnIntegrityFailure() throws Exception {
        Victim v = Victim.create(dir.resolve("dev"), "victim", WrapAlgorithm.AES_KW_256);
        ForgedStore s = ForgedStore.parse(v.newStoreFile(Wallets.EVM));
        StoreCrypto.Block b = s.block();
        s.header = b.withRecipients(List.of(AttackerCms.aesRecipient(v.kekName + "/v9",
                AttackerCms.random(72)))).encode();
        IOException e = assertThrows(IOException.class, () -> v.open(s.toBytes()));
        assertInstanceOf(StoreIntegrityException.class, e, () -> "A1's edit reported as: " + Causes.messages(e));
    }

    /**
     * Probe: a version id of ".." passes the policy (KekPolicy.isVersionOf: one segment, no '/') and
     * KeyVaultKeyId.parse (java.net.URI does not normalise), then reaches the Azure SDK, which builds
     * /keys/redkey3/..?api-version and the HTTP stack normalises it to /keys/?api-version: a LIST of the vault's keys
     * under the application's identity, outside every id the configuration names. Demonstrates what was called.
     */
    @Test
    void dotDotVersionIdReachesNoVaultEndpoint() throws Exception {
        String name = "redkey3";
        String v1 = vault.createRsaKey(name, 2048);
        Path config = EmulatorConfig.write(vault, dir.resolve("c"), name, new Properties());
        String dotdot = vault.vaultUrl() + "/keys/" + name + "/..";
        vault.resetCounters();
        IOException e = load(config, forged(v1, vault.publicKey(v1), dotdot));
        java.util.Map<String, Long> calls = vault.callCounts();
        System.out.println("RED dotdot calls=" + calls + " error=" + Causes.messages(e));
        // Fixed: a version is 1-64 letters, digits, '-' or '_', so '..' is not a version of the allowed key and no
        // request about it is made (before: a listKeys call under the application's identity).
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(),
                new java.util.TreeMap<>(calls).keySet().stream().filter(k -> calls.get(k) > 0)
                        .collect(java.util.stream.Collectors.toSet()),
                () -> "a '..' version reached: " + calls + " / " + Causes.messages(e));
        assertInstanceOf(StoreIntegrityException.class, e, () -> Causes.messages(e));
    }

    /**
     * Write/read asymmetry: a 'kek' spelled non-canonically (percent-encoded name character, or userinfo) is accepted
     * for writing (KeyVaultKeyId.parse canonicalises it: getPath() decodes, userinfo is dropped), so every id written
     * is the canonical one; the policy then compares those ids with the raw 'kek' string and refuses the store it just
     * wrote. Root cause: KekPolicy.allows (kek/KekPolicy.java:64) compares raw strings while the writer uses
     * KeyVaultKeyId.keyName() (kek/azure/KeyVaultKeyId.java:39).
     */
    @Test
    void nonCanonicalKekIsRefusedBeforeAnyWrite() throws Exception {
        for (String spelled : new String[] {"/keys/redk%65y4", "@"}) {
            String name = "redkey4";
            vault.createRsaKey(name, 2048);
            Properties extra = new Properties();
            String host = vault.vaultUrl().substring("https://".length());
            extra.setProperty("kek", spelled.equals("@") ? "https://ops@" + host + "/keys/" + name
                    : vault.vaultUrl() + spelled);
            Path config = EmulatorConfig.write(vault, dir.resolve("d" + spelled.length()), name, extra);
            DynamicShareKeyStore ks = new DynamicShareProvider(StoreContext.of(StoreConfig.load(config))).newKeyStore();
            ks.load(null, null);
            // Fixed: the writer refuses a spelling the reader would refuse, naming the canonical one, so no store is
            // ever written that the same configuration cannot read.
            java.security.KeyStoreException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    java.security.KeyStoreException.class, () -> ks.setEntry(Wallets.EVM.alias(),
                            io.dynamicshare.entry.WalletEntry.of(Wallets.EVM.shares(), Wallets.EVM.metadata()), null),
                    "kek=" + extra.getProperty("kek"));
            org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("canonical")
                    && refused.getMessage().contains(vault.vaultUrl() + "/keys/" + name), refused.getMessage());
            org.junit.jupiter.api.Assertions.assertEquals(0, ks.size(), "nothing was written");
        }
    }
}
