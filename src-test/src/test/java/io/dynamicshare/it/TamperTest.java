package io.dynamicshare.it;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.StoreIntegrityException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.UnrecoverableEntryException;
import java.util.Arrays;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Altered stores are rejected with a clear exception and never yield wrong plaintext: first by the
 * whole-store MAC, and, for an attacker who holds the KEK and forges that MAC, by each entry's own
 * GCM tag and binding.
 */
class TamperTest {
    @TempDir
    Path dir;
    DevStores dev;
    byte[] file;
    ContainerImage image;

    @BeforeEach
    void twoWallets() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.RSA_OAEP_256);
        KeyStore ks = dev.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS.subList(0, 3)) {
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        file = DevStores.bytes(ks);
        image = ContainerImage.parse(file);
    }

    private void rejectedAtLoad(byte[] altered, String expectedMessage) {
        IOException e = assertThrows(IOException.class, () -> dev.open(altered));
        assertContains(e.getMessage(), expectedMessage);
        if (!expectedMessage.startsWith("format version")) {
            assertInstanceOf(StoreIntegrityException.class, e, "a bad file is an integrity failure: " + e);
        }
    }

    private static final String INTEGRITY = "the store failed its integrity check";

    @Test
    void untouchedFileLoads() throws Exception {
        assertArrayEquals(file, image.withOriginalTag(), "the test's reader agrees with the format");
        assertEquals(3, dev.open(file).size());
    }

    @Test
    void flippedCiphertextByte() throws Exception {
        ContainerImage.flipInside(image.entries.get(0), ContainerImage.ciphertext(image.entries.get(0)));
        rejectedAtLoad(image.withOriginalTag(), INTEGRITY);

        KeyStore forged = dev.open(image.forge(dev.kek));
        UnrecoverableEntryException e = assertThrows(UnrecoverableEntryException.class,
                () -> forged.getEntry(image.aliases.get(0), null));
        assertContains(e.getMessage(), "alias '" + image.aliases.get(0) + "'", "does not authenticate");
        assertSecondEntryStillOpens(forged);
    }

    @Test
    void flippedWrappedKeyByte() throws Exception {
        ContainerImage.flipInside(image.entries.get(0), ContainerImage.wrappedKey(image.entries.get(0)));
        rejectedAtLoad(image.withOriginalTag(), INTEGRITY);

        KeyStore forged = dev.open(image.forge(dev.kek));
        UnrecoverableEntryException e = assertThrows(UnrecoverableEntryException.class,
                () -> forged.getEntry(image.aliases.get(0), null));
        assertContains(e.getMessage(), "alias '" + image.aliases.get(0) + "'", "devkek:test/v1");
        assertSecondEntryStillOpens(forged);
    }

    @Test
    void editedMetadata() throws Exception {
        byte[] entry = image.entries.get(0);
        byte[] metadata = Fixtures.WALLETS.get(0).metadata();
        int at = ContainerImage.indexOf(entry, metadata);
        // Same length, different meaning: the attacker relabels the wallet's walletId.
        entry[at + ContainerImage.indexOf(metadata, "b22393f2".getBytes())] = 'c';
        rejectedAtLoad(image.withOriginalTag(), INTEGRITY);

        KeyStore forged = dev.open(image.forge(dev.kek));
        UnrecoverableEntryException e = assertThrows(UnrecoverableEntryException.class,
                () -> forged.getEntry(image.aliases.get(0), null));
        assertContains(e.getMessage(), "does not authenticate");
    }

    @Test
    void flippedHeaderBytes() throws Exception {
        byte[] storeId = file.clone();
        storeId[12] ^= 0x01;
        rejectedAtLoad(storeId, INTEGRITY);

        byte[] magic = file.clone();
        magic[1] = 'X';
        rejectedAtLoad(magic, "not a DynamicShareKeyStore file");

        byte[] version = file.clone();
        version[9] = 9;
        rejectedAtLoad(version, "format version 9 is not supported");
        assertFalse(assertThrows(IOException.class, () -> dev.open(version)) instanceof StoreIntegrityException,
                "an unknown version is refused, not called tampering");

        byte[] macKey = file.clone();
        macKey[8 + 2 + 16 + 8 + 4 + 40] ^= 0x01; // inside the store key block
        IOException e = assertThrows(IOException.class, () -> dev.open(macKey));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void swappedEntries() throws Exception {
        ContainerImage swapped = ContainerImage.parse(file);
        java.util.Collections.swap(swapped.aliases, 0, 1);
        java.util.Collections.swap(swapped.entries, 0, 1);
        java.util.Collections.swap(swapped.entryTags, 0, 1);
        rejectedAtLoad(swapped.withOriginalTag(), INTEGRITY); // each entry tag holds: the file MAC catches the order

        // Blobs exchanged between aliases, labels kept, MAC forged: each entry is bound to its alias.
        ContainerImage relabelled = ContainerImage.parse(file);
        java.util.Collections.swap(relabelled.entries, 0, 1);
        rejectedAtLoad(relabelled.forge(dev.kek), "bound to another alias");
    }

    @Test
    void removedEntry() throws Exception {
        image.aliases.remove(1);
        image.entries.remove(1);
        image.entryTags.remove(1);
        rejectedAtLoad(image.withOriginalTag(), INTEGRITY);
    }

    @Test
    void addedEntry() throws Exception {
        image.aliases.add("extra");
        image.entries.add(image.entries.get(0).clone());
        image.entryTags.add(image.entryTags.get(0).clone());
        rejectedAtLoad(image.withOriginalTag(), INTEGRITY);
    }

    @Test
    void entryTransplantedFromAnotherStoreWithTheSameKek() throws Exception {
        KeyStore other = dev.newStore();
        Fixtures.Wallet w = Fixtures.WALLETS.get(3);
        other.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        ContainerImage donor = ContainerImage.parse(DevStores.bytes(other));
        image.aliases.add(w.alias());
        image.entries.add(donor.entries.get(0));
        rejectedAtLoad(image.forge(dev.kek), "bound to another store");
    }

    @Test
    void truncatedAndExtendedFiles() {
        rejectedAtLoad(Arrays.copyOf(file, file.length - 1), "truncated");
        rejectedAtLoad(Arrays.copyOf(file, file.length / 2), "");
        rejectedAtLoad(Arrays.copyOf(file, file.length + 1), "data follows the integrity tag");
        rejectedAtLoad(new byte[0], "truncated");
    }

    private void assertSecondEntryStillOpens(KeyStore ks) throws Exception {
        KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(image.aliases.get(1), null);
        assertArrayEquals(Fixtures.WALLETS.get(1).shares(), e.getSecretKey().getEncoded());
    }
}
