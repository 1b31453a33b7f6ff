package io.dynamicshare.escrow;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.KekInventory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The escrow recipient on the development KEK: written, counted, kept by rewrap and rekey, rotated, verified. */
class EscrowStoreTest {
    @TempDir
    Path dir;
    Path cert;
    Path nextCert;
    EscrowOpener escrow;
    EscrowOpener nextEscrow;

    @BeforeEach
    void keys() throws Exception {
        cert = EscrowFixture.pem(dir.resolve("escrow.crt"), EscrowFixture.certificate(EscrowFixture.ESCROW, "escrow", 7));
        nextCert = EscrowFixture.pem(dir.resolve("next.crt"),
                EscrowFixture.certificate(EscrowFixture.NEXT_ESCROW, "escrow 2", 8));
        escrow = EscrowOpener.of(EscrowFixture.ESCROW.getPrivate());
        nextEscrow = EscrowOpener.of(EscrowFixture.NEXT_ESCROW.getPrivate());
    }

    static void fill(DynamicShareKeyStore ks) throws Exception {
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            ks.setEntry(w.alias(), w.entry(), null);
        }
    }

    @Test
    void everyEntryCarriesBothRecipientsAndOpensWithTheEscrowKeyAlone() throws Exception {
        EscrowFixture.DevStore dev = new EscrowFixture.DevStore(dir.resolve("s"),
                EscrowFixture.props("escrow.certificate", cert.toString()));
        Path file = dir.resolve("wallets.dsks");
        DynamicShareKeyStore ks = dev.newStore();
        fill(ks);
        ks.store(FileStoreParameter.of(file));
        DynamicShareKeyStore loaded = dev.open(file);
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            SealedEntry e = CmsEnvelope.parse(loaded.entryDer(w.alias()));
            assertEquals(1, e.recipients().size(), w.alias());
            assertEquals(1, e.otherRecipients().size(), w.alias());
            assertEquals(0, e.otherRecipients().get(0).keyTransport().getVersion().intValueExact(),
                    "issuerAndSerialNumber: KeyTransRecipientInfo version 0 (RFC 5652 6.2.1)");
            assertArrayEquals(w.shares(), escrow.open(e), w.alias());
            assertArrayEquals(w.shares(), loaded.getKey(w.alias(), null).getEncoded(), w.alias());
            assertEquals(dev.kek.keyName() + "/v1", loaded.attributes(w.alias()).stream()
                    .filter(a -> a.getName().equals("dynamicshare.kekId")).findFirst().orElseThrow().getValue(),
                    "the escrow key is not a KEK");
        }
        KekInventory inv = loaded.inventory();
        assertEquals(4, inv.escrow().entriesWithEscrow());
        assertEquals(0, inv.escrow().entriesWithoutEscrow());
        assertEquals(Map.of(inv.escrow().configured(), 4), inv.escrow().entriesByEscrowKey());
        assertTrue(inv.escrow().configured().startsWith("issuer=CN=escrow,O=Example Treasury, serial=0x7"),
                inv.escrow().configured());
        assertEquals(Map.of(), escrow.verify(loaded));
        assertEquals(Map.of(), loaded.verify());
    }

    @Test
    void aStoreWithEscrowLoadsWhereNoEscrowIsConfigured() throws Exception {
        EscrowFixture.DevStore dev = new EscrowFixture.DevStore(dir.resolve("s"),
                EscrowFixture.props("escrow.certificate", cert.toString()));
        Path file = dir.resolve("wallets.dsks");
        DynamicShareKeyStore ks = dev.newStore();
        fill(ks);
        ks.store(FileStoreParameter.of(file));
        EscrowFixture.DevStore.writeConfig(dev.config, dev.kek.keyName(), new Properties());
        DynamicShareKeyStore plain = dev.open(file);
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            assertArrayEquals(w.shares(), plain.getKey(w.alias(), null).getEncoded());
        }
        assertEquals(null, plain.inventory().escrow().configured());
        assertEquals(4, plain.inventory().escrow().entriesByEscrowKey().values().iterator().next());
    }

    @Test
    void rewrapAddsTheEscrowRecipientAndRotationDropsTheOldOne() throws Exception {
        EscrowFixture.DevStore dev = new EscrowFixture.DevStore(dir.resolve("s"), new Properties());
        Path file = dir.resolve("wallets.dsks");
        DynamicShareKeyStore ks = dev.newStore();
        fill(ks);
        ks.store(FileStoreParameter.of(file));
        assertEquals(4, escrow.verify(dev.open(file)).size(), "no escrow before it is configured");

        EscrowFixture.DevStore.writeConfig(dev.config, dev.kek.keyName(),
                EscrowFixture.props("escrow.certificate", cert.toString()));
        DynamicShareKeyStore withEscrow = dev.open(file);
        assertEquals(4, withEscrow.inventory().escrow().entriesWithoutEscrow());
        assertEquals(0, withEscrow.rewrap(null, 100));
        withEscrow.store(FileStoreParameter.of(file));
        assertEquals(Map.of(), escrow.verify(dev.open(file)));

        // Rotation: configure the next escrow certificate, rewrap, verify with the next key; the old one opens nothing.
        EscrowFixture.DevStore.writeConfig(dev.config, dev.kek.keyName(),
                EscrowFixture.props("escrow.certificate", nextCert.toString()));
        DynamicShareKeyStore rotated = dev.open(file);
        assertEquals(4, rotated.inventory().escrow().entriesWithoutEscrow());
        assertEquals(2, rotated.rewrap(null, 2), "batches resume");
        assertEquals(0, rotated.rewrap(null, 2));
        rotated.store(FileStoreParameter.of(file));
        DynamicShareKeyStore after = dev.open(file);
        assertEquals(Map.of(), nextEscrow.verify(after));
        assertEquals(4, escrow.verify(after).size());
        assertEquals(1, after.inventory().escrow().entriesByEscrowKey().size());
        assertEquals(4, after.inventory().escrow().entriesWithEscrow());
    }

    @Test
    void rekeyKeepsTheEscrowRecipientUnderFreshDataKeys() throws Exception {
        EscrowFixture.DevStore dev = new EscrowFixture.DevStore(dir.resolve("s"),
                EscrowFixture.props("escrow.certificate", cert.toString()));
        Path file = dir.resolve("wallets.dsks");
        DynamicShareKeyStore ks = dev.newStore();
        fill(ks);
        ks.store(FileStoreParameter.of(file));
        DynamicShareKeyStore loaded = dev.open(file);
        byte[] before = loaded.entryDer(EscrowFixture.WALLETS.get(0).alias());
        while (loaded.rekey(3) > 0) {
            loaded.store(FileStoreParameter.of(file));
        }
        loaded.store(FileStoreParameter.of(file));
        DynamicShareKeyStore after = dev.open(file);
        assertEquals(2, after.inventory().keyEpoch());
        assertEquals(4, after.inventory().escrow().entriesWithEscrow());
        assertEquals(Map.of(), escrow.verify(after));
        assertTrue(!java.util.Arrays.equals(before, after.entryDer(EscrowFixture.WALLETS.get(0).alias())));
    }

    @Test
    void theConfigurationRefusesWeakOrNonRsaEscrowKeys() throws Exception {
        Path rsa2048 = EscrowFixture.pem(dir.resolve("small.crt"),
                EscrowFixture.certificate(EscrowFixture.rsa(2048), "small", 1));
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        Path ecCert = EscrowFixture.pem(dir.resolve("ec.crt"), EscrowFixture.certificate(ec.generateKeyPair(), "ec", 2));
        ConfigException small = assertThrows(ConfigException.class, () -> config("escrow.certificate", rsa2048));
        assertTrue(small.getMessage().contains("RSA-2048; at least 3072 bits are required")
                && small.getMessage().contains("escrow.certificate"), small.getMessage());
        ConfigException notRsa = assertThrows(ConfigException.class, () -> config("escrow.certificate", ecCert));
        assertTrue(notRsa.getMessage().contains("must be RSA"), notRsa.getMessage());
        ConfigException keyAsCert = assertThrows(ConfigException.class, () -> config("escrow.publicKey", cert));
        assertTrue(keyAsCert.getMessage().contains("not a public key"), keyAsCert.getMessage());
        Properties both = EscrowFixture.props("escrow.certificate", cert.toString(), "escrow.publicKey", cert.toString());
        ConfigException twice = assertThrows(ConfigException.class, () -> StoreConfig.of(both, dir, "test"));
        assertTrue(twice.getMessage().contains("not both"), twice.getMessage());
        Files.writeString(dir.resolve("garbage.crt"), "not a certificate");
        assertThrows(ConfigException.class, () -> config("escrow.certificate", dir.resolve("garbage.crt")));
    }

    StoreConfig config(String key, Path file) throws ConfigException {
        return StoreConfig.of(EscrowFixture.props(key, file.toString()), dir, "test.properties");
    }
}
