package io.dynamicshare.it;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStoreSpi;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.Security;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Set;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole KeyStoreSpi contract, decided as the JDK's PKCS12 store decides it. */
class KeyStoreContractTest {
    @TempDir
    Path dir;
    DevStores dev;
    KeyStore ks;

    @BeforeEach
    void store() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        ks = dev.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
    }

    @Test
    void unloadedStoreIsRefused() throws Exception {
        KeyStore unloaded = KeyStore.getInstance(DynamicShareProvider.KEYSTORE_TYPE, dev.provider);
        assertThrows(KeyStoreException.class, unloaded::size);
        assertThrows(KeyStoreException.class, () -> unloaded.getEntry("a", null));
        DynamicShareKeyStoreSpi spi = new DynamicShareKeyStoreSpi(StoreContext.of(StoreConfig.empty()));
        assertContains(assertThrows(IllegalStateException.class, spi::engineSize).getMessage(), "not loaded", "load(null, null)");
    }

    @Test
    void nullAliasThrowsNullPointerException() {
        List<Executable> calls = List.of(() -> ks.getKey(null, null), () -> ks.getEntry(null, null),
                () -> ks.containsAlias(null), () -> ks.isKeyEntry(null), () -> ks.isCertificateEntry(null),
                () -> ks.getCreationDate(null), () -> ks.deleteEntry(null), () -> ks.getCertificate(null),
                () -> ks.getCertificateChain(null), () -> ks.entryInstanceOf(null, KeyStore.SecretKeyEntry.class),
                () -> ks.setEntry(null, WalletEntry.of(Fixtures.WALLETS.get(0).shares(), Fixtures.WALLETS.get(0).metadata()), null));
        for (Executable call : calls) {
            assertThrows(NullPointerException.class, call);
        }
    }

    @Test
    void unknownAliasGivesNullFalseOrNothing() throws Exception {
        assertNull(ks.getKey("nope", null));
        assertNull(ks.getEntry("nope", null));
        assertFalse(ks.containsAlias("nope"));
        assertFalse(ks.isKeyEntry("nope"));
        assertFalse(ks.isCertificateEntry("nope"));
        assertNull(ks.getCreationDate("nope"));
        assertNull(ks.getCertificate("nope"));
        assertNull(ks.getCertificateChain("nope"));
        assertFalse(ks.entryInstanceOf("nope", KeyStore.SecretKeyEntry.class));
        int size = ks.size();
        ks.deleteEntry("nope");
        assertEquals(size, ks.size());
    }

    @Test
    void aliasesSizeContainsDeleteAndOrder() throws Exception {
        List<String> expected = Fixtures.WALLETS.stream().map(Fixtures.Wallet::alias).toList();
        assertEquals(expected, Collections.list(ks.aliases()));
        assertEquals(4, ks.size());
        Fixtures.Wallet first = Fixtures.WALLETS.get(0);
        ks.setEntry(first.alias(), WalletEntry.of(first.shares(), first.metadata()), null);
        assertEquals(expected, Collections.list(ks.aliases()), "replacing keeps the alias's place");
        ks.deleteEntry(expected.get(1));
        assertFalse(ks.containsAlias(expected.get(1)));
        assertEquals(3, ks.size());
        assertTrue(ks.containsAlias(expected.get(2)));
        assertFalse(ks.containsAlias(expected.get(3).toLowerCase()), "aliases are case-sensitive (base58 addresses)");
        assertEquals(List.of(expected.get(0), expected.get(2), expected.get(3)),
                Collections.list(dev.open(DevStores.bytes(ks)).aliases()));
    }

    @Test
    void entryKindAndLegacyAccessors() throws Exception {
        String alias = Fixtures.WALLETS.get(3).alias();
        assertTrue(ks.isKeyEntry(alias));
        assertFalse(ks.isCertificateEntry(alias));
        assertNull(ks.getCertificate(alias));
        assertNull(ks.getCertificateChain(alias));
        assertTrue(ks.entryInstanceOf(alias, KeyStore.SecretKeyEntry.class));
        assertTrue(ks.entryInstanceOf(alias, KeyStore.Entry.class));
        assertFalse(ks.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class));
        assertFalse(ks.entryInstanceOf(alias, KeyStore.TrustedCertificateEntry.class));
        WalletShareKey key = assertInstanceOf(WalletShareKey.class, ks.getKey(alias, "any password".toCharArray()));
        assertArrayEquals(Fixtures.WALLETS.get(3).shares(), key.getEncoded());
        assertEquals("RAW", key.getFormat());
    }

    @Test
    void creationDateIsBoundAndSurvivesStoreAndLoad() throws Exception {
        Date before = new Date();
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        ks.setEntry("dated", WalletEntry.of(w.shares(), w.metadata()), null);
        Date created = ks.getCreationDate("dated");
        assertFalse(created.before(new Date(before.getTime() - 1)));
        assertFalse(created.after(new Date()));
        assertEquals(created, dev.open(DevStores.bytes(ks)).getCreationDate("dated"));
    }

    @Test
    void attributesComeFromMetadataWithoutUnwrappingAnyKey() throws Exception {
        Path file = dir.resolve("w.dsks");
        ks.store(FileStoreParameter.of(file));
        DynamicShareProvider fresh = dev.freshProvider();
        var loaded = fresh.newKeyStore();
        loaded.load(FileStoreParameter.of(file));
        var spi = new DynamicShareKeyStoreSpi(StoreContext.of(StoreConfig.load(dev.configFile)));
        spi.engineLoad(Files.newInputStream(file), null);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            Set<KeyStore.Entry.Attribute> attrs = spi.engineGetAttributes(w.alias());
            assertTrue(attrs.stream().anyMatch(a -> a.getName().equals(WalletAttributes.ACCOUNT_ADDRESS)
                    && a.getValue().equals(w.alias())), w.alias());
        }
        assertEquals(Set.of(), spi.engineGetAttributes("nope"));
        assertEquals(0, spi.engineSize() - 4);
        // Through KeyStore itself where the JDK has getAttributes (18+); on 17 the method must not exist.
        try {
            Object attrs = KeyStore.class.getMethod("getAttributes", String.class).invoke(loaded, Fixtures.WALLETS.get(2).alias());
            assertTrue(Runtime.version().feature() >= 18);
            assertTrue(((Set<?>) attrs).contains(new io.dynamicshare.entry.WalletAttribute(WalletAttributes.ADDRESS_TYPE, "taproot")));
        } catch (NoSuchMethodException e) {
            assertTrue(Runtime.version().feature() < 18, "KeyStore.getAttributes exists from JDK 18");
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
        assertEquals(0, loaded.cacheStats().unwrapCalls(), "no data key was unwrapped to answer attributes");
    }

    @Test
    void probeLetsKeyStoreGetInstanceFindTheType() throws Exception {
        Path file = dir.resolve("probe.dsks");
        ks.store(FileStoreParameter.of(file));
        assertTrue(new DynamicShareKeyStoreSpi(StoreContext.of(StoreConfig.empty())).engineProbe(Files.newInputStream(file)));
        Path p12 = dir.resolve("dev-kek.p12");
        assertFalse(new DynamicShareKeyStoreSpi(StoreContext.of(StoreConfig.empty())).engineProbe(Files.newInputStream(p12)));
        Security.addProvider(dev.provider);
        try {
            KeyStore found = KeyStore.getInstance(file.toFile(), (char[]) null);
            assertEquals(DynamicShareProvider.KEYSTORE_TYPE, found.getType());
            assertEquals(4, found.size());
            assertEquals("PKCS12", KeyStore.getInstance(p12.toFile(), "test-devkek-password".toCharArray()).getType());
        } finally {
            Security.removeProvider(DynamicShareProvider.NAME);
        }
    }

    @Test
    void missingFileAndUnsupportedParameters() throws Exception {
        KeyStore other = KeyStore.getInstance(DynamicShareProvider.KEYSTORE_TYPE, dev.provider);
        Path missing = dir.resolve("missing.dsks");
        assertContains(assertThrows(java.io.IOException.class, () -> other.load(FileStoreParameter.of(missing))).getMessage(),
                "no DynamicShareKeyStore at", missing.toString());
        KeyStore.LoadStoreParameter foreign = () -> null;
        assertThrows(IllegalArgumentException.class, () -> ks.store(foreign));
    }
}
