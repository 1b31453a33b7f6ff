package io.dynamicshare.it;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.FileStoreParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every fixture wallet survives setEntry, store, load into a fresh KeyStore of a fresh provider, getEntry. */
class RoundTripTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(WrapAlgorithm.class)
    void everyFixtureWalletRoundTripsByteForByte(WrapAlgorithm algorithm) throws Exception {
        DevStores dev = new DevStores(dir, algorithm);
        KeyStore ks = dev.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        Path file = dir.resolve("wallets.dsks");
        ks.store(FileStoreParameter.of(file));

        // A fresh provider: nothing cached, everything comes from the file and the KEK.
        KeyStore again = KeyStore.getInstance("DynamicShareKeyStore", dev.freshProvider());
        again.load(FileStoreParameter.of(file));
        assertEquals(Collections.list(ks.aliases()), Collections.list(again.aliases()));
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) again.getEntry(w.alias(), null);
            WalletShareKey key = assertInstanceOf(WalletShareKey.class, e.getSecretKey());
            assertArrayEquals(w.shares(), key.getEncoded(), w.dir() + " shares");
            assertEquals(new String(w.metadata(), StandardCharsets.UTF_8),
                    WalletAttributes.get(e, WalletAttributes.WALLET_METADATA), w.dir() + " metadata");
            assertEquals("DynamicShare-ServerKeyShares", key.getAlgorithm());
            assertTrue(WalletAttributes.get(e, WalletAttributes.KEK_ID).startsWith("devkek:test/v"));
        }
    }

    @Test
    void storeThenLoadThenStoreIsByteIdentical() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.RSA_OAEP_256);
        KeyStore ks = dev.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        byte[] first = DevStores.bytes(ks);
        assertArrayEquals(first, DevStores.bytes(dev.open(first)));
    }

    @Test
    void wellKnownFieldsAreAttributesInCamelCaseWhateverTheInputNaming() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        KeyStore ks = dev.newStore();
        Fixtures.Wallet evm = Fixtures.WALLETS.get(0);
        byte[] snake = Fixtures.read("evm-2of2-snake/wallet-properties.json");
        ks.setEntry("camel", WalletEntry.of(evm.shares(), evm.metadata()), null);
        ks.setEntry("snake", WalletEntry.of(evm.shares(), snake), null);
        KeyStore again = dev.open(DevStores.bytes(ks));
        for (String alias : List.of("camel", "snake")) {
            KeyStore.Entry e = again.getEntry(alias, null);
            assertEquals("0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A", WalletAttributes.get(e, WalletAttributes.ACCOUNT_ADDRESS));
            assertEquals("b22393f2-22a6-462a-99cc-1c0bab02c7b4", WalletAttributes.get(e, WalletAttributes.WALLET_ID));
            assertEquals("EVM", WalletAttributes.get(e, WalletAttributes.CHAIN_NAME));
            assertEquals("TWO_OF_TWO", WalletAttributes.get(e, WalletAttributes.THRESHOLD_SIGNATURE_SCHEME));
            assertEquals("{\"0\":44,\"1\":60,\"2\":0,\"3\":0,\"4\":0}", WalletAttributes.get(e, WalletAttributes.DERIVATION_PATH));
        }
        assertEquals(new String(snake, StandardCharsets.UTF_8),
                WalletAttributes.get(again.getEntry("snake", null), WalletAttributes.WALLET_METADATA),
                "the snake_case document itself is kept as given");
        assertEquals("taproot", WalletAttributes.get(storeOne(dev, Fixtures.WALLETS.get(2)), WalletAttributes.ADDRESS_TYPE));
    }

    private KeyStore.Entry storeOne(DevStores dev, Fixtures.Wallet w) throws Exception {
        KeyStore ks = dev.newStore();
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        return dev.open(DevStores.bytes(ks)).getEntry(w.alias(), null);
    }

    @Test
    void aHalfMegabyteEntryWorks() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        KeyStore ks = dev.newStore();
        byte[] big = Shares.single(512 * 1024);
        Fixtures.Wallet evm = Fixtures.WALLETS.get(0);
        ks.setEntry("big", WalletEntry.of(big, evm.metadata()), null);
        Path file = dir.resolve("big.dsks");
        ks.store(FileStoreParameter.of(file));
        assertTrue(Files.size(file) > 512 * 1024);
        KeyStore again = KeyStore.getInstance("DynamicShareKeyStore", dev.freshProvider());
        again.load(FileStoreParameter.of(file));
        assertArrayEquals(big, ((KeyStore.SecretKeyEntry) again.getEntry("big", null)).getSecretKey().getEncoded());
    }

    @Test
    void aFailedStoreLeavesTheOldFileIntact() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        KeyStore ks = dev.newStore();
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        Path file = dir.resolve("wallets.dsks");
        ks.store(FileStoreParameter.of(file));
        byte[] before = Files.readAllBytes(file);

        // A second store whose KEK cannot be opened: its store() fails before anything is renamed.
        Files.delete(dir.resolve("dev-kek.p12"));
        DevStores broken = new DevStores(dir.resolve("other"), WrapAlgorithm.AES_KW_256);
        Files.delete(dir.resolve("other").resolve("dev-kek.p12"));
        KeyStore fresh = KeyStore.getInstance("DynamicShareKeyStore", broken.freshProvider());
        fresh.load(null, null);
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> fresh.store(FileStoreParameter.of(file)));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }
}
