package io.dynamicshare.attack;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.store.StoreRollbackException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.dynamicshare.attack.Causes.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rollback (docs/SECURITY.md, "Rollback is visible"): A1 keeps an old, genuine copy of the store and puts it back.
 * The file cannot know it is stale; the application can, if it remembers the generation it last saw and passes it
 * as {@code minGeneration}. A1 also cannot make an old file look new: the generation is under the file MAC.
 */
class RollbackAttackTest {
    @TempDir
    static Path dir;
    static Victim victim;
    static Path file;
    /** The file as it stood at generation {@link #oldGeneration}, before one wallet was added. */
    static byte[] oldCopy;
    static long oldGeneration;

    @BeforeAll
    static void twoGenerations() throws Exception {
        victim = Victim.create(dir.resolve("victim"), "victim", WrapAlgorithm.AES_KW_256);
        file = victim.dir.resolve("wallets.dsks");
        DynamicShareKeyStore ks = victim.newKeyStore();
        ks.load(null, null);
        ks.setEntry(Wallets.EVM.alias(), WalletEntry.of(Wallets.EVM.shares(), Wallets.EVM.metadata()), null);
        ks.store(FileStoreParameter.of(file));
        oldGeneration = ks.inventory().generation();
        assertEquals(1, oldGeneration, "the first store writes generation 1");
        oldCopy = Files.readAllBytes(file);

        ks.deleteEntry(Wallets.EVM.alias());
        ks.setEntry(Wallets.BTC.alias(), WalletEntry.of(Wallets.BTC.shares(), Wallets.BTC.metadata()), null);
        ks.store(FileStoreParameter.of(file));
        assertEquals(oldGeneration + 1, ks.inventory().generation());
        assertEquals(oldGeneration, ForgedStore.parse(oldCopy).generation, "the attacker's parser agrees");
        assertEquals(oldGeneration + 1, ForgedStore.parse(Files.readAllBytes(file)).generation);
    }

    @Test
    void theCurrentFileLoadsAtItsGeneration() throws Exception {
        DynamicShareKeyStore ks = victim.newKeyStore();
        ks.load(FileStoreParameter.of(file).minGeneration(oldGeneration + 1));
        assertEquals(oldGeneration + 1, ks.inventory().generation());
        assertTrue(ks.containsAlias(Wallets.BTC.alias()));
    }

    @Test
    void anOldCopyIsRefusedWhenTheApplicationRemembersTheGeneration() throws Exception {
        Path putBack = victim.write("put-back.dsks", oldCopy);
        DynamicShareKeyStore ks = victim.newKeyStore();
        StoreRollbackException e = assertThrows(StoreRollbackException.class,
                () -> ks.load(FileStoreParameter.of(putBack).minGeneration(oldGeneration + 1)));
        assertEquals(oldGeneration, e.generation());
        assertContains(e.getMessage(), "generation " + oldGeneration, String.valueOf(oldGeneration + 1));
        assertThrows(java.security.KeyStoreException.class, ks::size, "nothing was loaded");
    }

    /** What remains possible (docs/SECURITY.md): without minGeneration, the old copy loads; it says how old it is. */
    @Test
    void withoutMinGenerationAnOldCopyLoadsAndReportsItsGeneration() throws Exception {
        Path putBack = victim.write("put-back.dsks", oldCopy);
        DynamicShareKeyStore ks = victim.newKeyStore();
        ks.load(FileStoreParameter.of(putBack));
        assertEquals(oldGeneration, ks.inventory().generation());
        assertTrue(ks.containsAlias(Wallets.EVM.alias()), "the deleted wallet is back");
        assertFalse(ks.containsAlias(Wallets.BTC.alias()), "the newer wallet is gone");
    }

    /** A1 edits the old copy's generation field to look current: the file MAC covers it. */
    @Test
    void editingTheGenerationIsRefused() throws Exception {
        for (long forgedGeneration : new long[] {oldGeneration + 1, oldGeneration + 1000, Long.MAX_VALUE}) {
            byte[] edited = oldCopy.clone();
            ByteBuffer.wrap(edited).putLong(ForgedStore.GENERATION_OFFSET, forgedGeneration);
            assertEquals(forgedGeneration, ForgedStore.parse(edited).generation);
            Path f = victim.write("edited.dsks", edited);
            for (FileStoreParameter p : new FileStoreParameter[] {FileStoreParameter.of(f),
                    FileStoreParameter.of(f).minGeneration(oldGeneration + 1)}) {
                IOException e = assertThrows(IOException.class, () -> victim.newKeyStore().load(p));
                assertInstanceOf(StoreIntegrityException.class, e);
                assertFalse(e instanceof StoreRollbackException, "an edited file is forged, not merely old");
                assertContains(e.getMessage(), "integrity check");
            }
        }
    }

    /**
     * A format-1 file has no generation (inventory reports 0). While {@code legacy.format1=read} is still set, an
     * application that passes {@code minGeneration} must not get the pre-migration format-1 copy back: "minGeneration
     * refuses any older file with StoreRollbackException" (docs/SECURITY.md).
     */
    @Test
    void aFormat1CopyIsOlderThanAnyMinGeneration() throws Exception {
        Victim previous = Victim.previousRelease(dir.resolve("previous"));
        Path legacy = previous.config("legacy-read.properties", p -> {
            p.setProperty("legacy.format1", "read");
            return p;
        });
        StoreRollbackException e = assertThrows(StoreRollbackException.class, () -> previous.newKeyStore(legacy)
                .load(FileStoreParameter.of(previous.v1StoreFile()).minGeneration(1)));
        assertEquals(0, e.generation());
    }
}
