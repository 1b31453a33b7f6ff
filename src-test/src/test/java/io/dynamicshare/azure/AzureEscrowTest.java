package io.dynamicshare.azure;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.escrow.EscrowOpener;
import io.dynamicshare.escrow.Recovery;
import io.dynamicshare.escrow.RecoveryReport;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.Map;
import java.util.Properties;

import static io.dynamicshare.azure.AzureKeyStoreTest.WALLETS;
import static io.dynamicshare.azure.AzureKeyStoreTest.metadata;
import static io.dynamicshare.azure.AzureKeyStoreTest.shares;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The escrow recipient on the Azure KEK, against the Key Vault test double: the primary path is unchanged (no vault
 * call per setEntry in steady state: the escrow wrap is local), every entry opens with the escrow key alone, and a
 * store whose Key Vault key was deleted is restored under a new key.
 */
class AzureEscrowTest {
    static KeyVaultTestDouble vault;
    static KeyPair escrow;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        vault = KeyVaultTestDouble.start();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072);
        escrow = g.generateKeyPair();
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    AzureStores stores(String keyName) throws Exception {
        X500Name name = new X500Name("CN=azure escrow");
        Path cert = dir.resolve("escrow.crt");
        if (!Files.exists(cert)) {
            try (Writer w = Files.newBufferedWriter(cert); JcaPEMWriter p = new JcaPEMWriter(w)) {
                p.writeObject(new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(3), new Date(),
                        new Date(System.currentTimeMillis() + 86_400_000L), name, escrow.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(escrow.getPrivate())));
            }
        }
        Properties p = new Properties();
        p.setProperty("escrow.certificate", cert.toString());
        return new AzureStores(vault, dir.resolve(keyName), keyName, p);
    }

    @Test
    void setEntryWithEscrowMakesNoVaultCallInSteadyStateAndEveryEntryOpensWithTheEscrowKey() throws Exception {
        vault.createRsaKey("escrowsteady", 2048);
        AzureStores stores = stores("escrowsteady");
        Path file = dir.resolve("wallets.dsks");
        DynamicShareKeyStore ks = stores.newStore(stores.provider());
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        ks.store(FileStoreParameter.of(file));
        vault.resetCounters();
        for (int i = 0; i < 100; i++) {
            ks.setEntry("steady-" + i, WalletEntry.of(shares(i % WALLETS.length), metadata(i % WALLETS.length)), null);
        }
        ks.store(FileStoreParameter.of(file));
        assertEquals(Map.of(), vault.callCounts(), "the escrow wrap is local, like the RSA KEK's");

        DynamicShareKeyStore loaded = stores.provider().newKeyStore();
        loaded.load(FileStoreParameter.of(file));
        vault.resetCounters();
        EscrowOpener opener = EscrowOpener.of(escrow.getPrivate());
        for (int i = 0; i < WALLETS.length; i++) {
            assertArrayEquals(shares(i), opener.open(CmsEnvelope.parse(loaded.entryDer(WALLETS[i][1]))));
        }
        assertEquals(Map.of(), opener.verify(loaded));
        assertEquals(Map.of(), vault.callCounts(), "the escrow key never reaches the vault");
        assertEquals(WALLETS.length + 100, loaded.inventory().escrow().entriesWithEscrow());
    }

    @Test
    void aStoreWhoseKeyVaultKeyWasDeletedIsRestoredUnderANewKey() throws Exception {
        vault.createRsaKey("escrowlost", 2048);
        AzureStores lost = stores("escrowlost");
        Path file = dir.resolve("lost.dsks");
        DynamicShareKeyStore ks = lost.newStore(lost.provider());
        for (int i = 0; i < WALLETS.length; i++) {
            ks.setEntry(WALLETS[i][1], WalletEntry.of(shares(i), metadata(i)), null);
        }
        ks.store(FileStoreParameter.of(file));
        vault.deleteKey("escrowlost");

        vault.createRsaKey("escrownew", 2048);
        AzureStores fresh = stores("escrownew");
        Path restored = dir.resolve("restored.dsks");
        DynamicShareKeyStore dest = fresh.newStore(fresh.provider());
        RecoveryReport r = Recovery.run(file, StoreContext.of(StoreConfig.load(fresh.configFile)).keks(),
                EscrowOpener.of(escrow.getPrivate()), dest, restored, 2, true, null);
        assertFalse(r.storeKeyOpened());
        assertEquals(WALLETS.length, r.unauthenticated().size());
        assertEquals(Map.of(), r.failures());
        DynamicShareKeyStore back = fresh.provider().newKeyStore();
        back.load(FileStoreParameter.of(restored));
        for (int i = 0; i < WALLETS.length; i++) {
            assertArrayEquals(shares(i), back.getKey(WALLETS[i][1], null).getEncoded());
        }
        assertEquals(WALLETS.length, back.inventory().escrow().entriesWithEscrow());
    }
}
