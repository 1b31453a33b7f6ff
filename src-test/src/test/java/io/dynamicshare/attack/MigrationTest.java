package io.dynamicshare.attack;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.KekInventory;
import io.dynamicshare.store.StoreIntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.dynamicshare.attack.Causes.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Format 1 to format 2, on the store the previous release's quickstart made (test resource {@code v1-store/}): refused
 * by default, read with {@code legacy.format1=read}, written as format 2 by the next store, and brought to key
 * commitment by rekey, with every wallet's shares and metadata byte for byte what was imported.
 */
class MigrationTest {
    @TempDir
    Path dir;

    @Test
    void format1ToFormat2() throws Exception {
        Victim previous = Victim.previousRelease(dir);
        Path file = previous.v1StoreFile();
        assertEquals(1, version(file), "the resource is a format-1 file");
        byte[] original = Files.readAllBytes(file);

        // Refused by default, naming the setting.
        IOException refused = assertThrows(IOException.class,
                () -> previous.newKeyStore().load(FileStoreParameter.of(file)));
        assertInstanceOf(StoreIntegrityException.class, refused);
        assertContains(refused.getMessage(), "format 1", "legacy.format1");
        assertArrayEquals(original, Files.readAllBytes(file), "a refused load leaves the file alone");

        // Read deliberately: every wallet as imported.
        Path legacy = previous.config("legacy-read.properties", p -> {
            p.setProperty("legacy.format1", "read");
            return p;
        });
        DynamicShareKeyStore ks = previous.newKeyStore(legacy);
        ks.load(FileStoreParameter.of(file));
        assertWalletsIntact(ks);
        KekInventory read = ks.inventory();
        assertEquals(1, read.formatRead());
        assertEquals(4, read.entriesWithoutKeyCommitment());
        assertEquals(0, read.generation());
        assertEquals(Map.of(previous.kekVersion(), 4), read.entriesByKek());

        // The next store writes format 2, which loads without the setting.
        ks.store(FileStoreParameter.of(file));
        assertEquals(2, version(file));
        DynamicShareKeyStore migrated = previous.newKeyStore();
        migrated.load(FileStoreParameter.of(file));
        assertWalletsIntact(migrated);
        KekInventory after = migrated.inventory();
        assertEquals(2, after.formatRead());
        assertEquals(1, after.generation());
        assertEquals(4, after.entriesWithoutKeyCommitment(), "entries keep entry format 1 until rekey");
        assertEquals(previous.kekVersion(), after.storeKek());
        assertEquals(Map.of(), migrated.verify());
        byte[] migratedCommitment = ForgedStore.parse(Files.readAllBytes(file)).block().commitment();

        // Rekey to completion, storing after each batch (resumable), then once more.
        int rounds = 0;
        while (migrated.rekey(3) > 0) {
            migrated.store(FileStoreParameter.of(file));
            rounds++;
        }
        migrated.store(FileStoreParameter.of(file));
        assertEquals(1, rounds, "4 entries in batches of 3: one store in between");

        DynamicShareKeyStore rekeyed = previous.newKeyStore();
        rekeyed.load(FileStoreParameter.of(file));
        assertWalletsIntact(rekeyed);
        KekInventory done = rekeyed.inventory();
        assertEquals(0, done.entriesWithoutKeyCommitment());
        assertEquals(0, done.entriesBehindKeyEpoch());
        assertEquals(2, done.formatRead());
        assertEquals(3, done.generation(), "migration store, one batch store, final store");
        assertEquals(Map.of(), rekeyed.verify());
        ForgedStore f = ForgedStore.parse(Files.readAllBytes(file));
        assertEquals(2, done.keyEpoch(), "rekey starts with a fresh store key, also on a migrated store");
        assertEquals(2, f.block().epoch());
        assertFalse(Arrays.equals(migratedCommitment, f.block().commitment()), "a fresh store key");
        for (byte[] entry : f.entries) {
            assertEquals(1, AttackerCms.parse(entry).recipients().size());
        }
    }

    private static int version(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return ((b[8] & 0xff) << 8) | (b[9] & 0xff);
    }

    /** The four quickstart wallets, shares and walletMetadata byte for byte the fixtures', nothing else. */
    private static void assertWalletsIntact(KeyStore ks) throws Exception {
        assertEquals(Wallets.ALL.stream().map(Wallets.Wallet::alias).collect(Collectors.toSet()),
                Set.copyOf(Collections.list(ks.aliases())));
        for (Wallets.Wallet w : Wallets.ALL) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(w.alias(), null);
            assertArrayEquals(w.shares(), e.getSecretKey().getEncoded(), w.alias() + " shares");
            assertArrayEquals(w.metadata(), WalletAttributes.get(e, WalletAttributes.WALLET_METADATA)
                    .getBytes(StandardCharsets.UTF_8), w.alias() + " walletMetadata");
            assertArrayEquals(w.metadata(), StoreForgeryAttackTest.metadataAttribute(ks, w.alias())
                    .getBytes(StandardCharsets.UTF_8), w.alias() + " attributes()");
        }
    }
}
