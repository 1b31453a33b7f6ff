package io.dynamicshare.escrow;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Escrow and hierarchical mode together (docs/SECURITY.md section 9, "Escrow in hierarchical mode"): a hierarchical
 * entry carries its branch recipient and the escrow recipient, no KEK recipient; rotate-branch-key + rewrap and
 * rekey keep the escrow recipient; a container-3 store whose KEK is gone is recovered with the escrow key alone.
 */
class HierarchicalEscrowTest {
    @TempDir
    Path dir;

    private static void checkEntries(DynamicShareKeyStore ks, EscrowOpener escrow, long branchVersion) throws Exception {
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            SealedEntry e = CmsEnvelope.parse(ks.entryDer(w.alias()));
            assertNotNull(e.branchRecipient(), w.alias());
            assertEquals(branchVersion, e.branchRecipient().version(), w.alias());
            assertTrue(e.recipients().isEmpty(), "no KEK recipient: " + w.alias());
            assertEquals(1, e.otherRecipients().size(), "the escrow recipient: " + w.alias());
            assertArrayEquals(w.shares(), escrow.open(e), w.alias());
            assertArrayEquals(w.shares(), ks.getKey(w.alias(), null).getEncoded(), w.alias());
        }
        assertEquals(Map.of(), escrow.verify(ks));
        assertEquals(EscrowFixture.WALLETS.size(), ks.inventory().escrow().entriesWithEscrow());
    }

    @Test
    void hierarchicalEntriesKeepTheEscrowRecipientThroughRotationRewrapAndRekeyAndRecoverWithoutTheKek()
            throws Exception {
        Path cert = EscrowFixture.pem(dir.resolve("escrow.crt"),
                EscrowFixture.certificate(EscrowFixture.ESCROW, "escrow", 7));
        EscrowOpener escrow = EscrowOpener.of(EscrowFixture.ESCROW.getPrivate());
        Properties extra = EscrowFixture.props("escrow.certificate", cert.toString());
        extra.setProperty("kek.mode", "hierarchical");
        EscrowFixture.DevStore old = new EscrowFixture.DevStore(dir.resolve("old"), extra);
        Path file = dir.resolve("old/wallets.dsks");
        DynamicShareKeyStore ks = old.newStore();
        EscrowStoreTest.fill(ks);
        ks.store(FileStoreParameter.of(file));
        checkEntries(old.open(file), escrow, 1);

        DynamicShareKeyStore rotated = old.open(file);
        assertEquals(2, rotated.rotateBranchKey());
        assertEquals(0, rotated.rewrap(null, 100));
        checkEntries(rotated, escrow, 2);
        assertEquals(0, rotated.rekey(100));
        long active = rotated.inventory().branchKeys().activeVersion();
        assertEquals(3, active, "rekey draws a fresh branch key version");
        checkEntries(rotated, escrow, active);
        rotated.store(FileStoreParameter.of(file));
        assertEquals(3, Files.readAllBytes(file)[9], "container format 3 (u16 after the 8-byte magic)");

        // The KEK is gone for good: the escrow key alone restores every wallet into a store under a new KEK.
        Files.delete(old.kekFile);
        EscrowFixture.DevStore fresh = new EscrowFixture.DevStore(dir.resolve("new"), extra);
        Path restoredFile = dir.resolve("new/wallets.dsks");
        RecoveryReport r = Recovery.run(file, StoreContext.of(StoreConfig.load(fresh.config)).keks(), escrow,
                fresh.newStore(), restoredFile, 10, true, null);
        assertFalse(r.storeKeyOpened());
        assertEquals(EscrowFixture.WALLETS.size(), r.unauthenticated().size());
        assertEquals(Map.of(), r.failures());
        checkEntries(fresh.open(restoredFile), escrow, 1);
    }
}
