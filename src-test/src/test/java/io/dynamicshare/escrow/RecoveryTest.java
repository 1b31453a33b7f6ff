package io.dynamicshare.escrow;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Recovery} end to end: a store whose KEK is gone restored under a new KEK with the escrow key alone. */
class RecoveryTest {
    @TempDir
    Path dir;
    Path cert;
    EscrowOpener escrow;
    EscrowFixture.DevStore old;
    Path oldFile;

    @BeforeEach
    void oldStore() throws Exception {
        cert = EscrowFixture.pem(dir.resolve("escrow.crt"), EscrowFixture.certificate(EscrowFixture.ESCROW, "escrow", 9));
        escrow = EscrowOpener.of(EscrowFixture.ESCROW.getPrivate());
        old = new EscrowFixture.DevStore(dir.resolve("old"), EscrowFixture.props("escrow.certificate", cert.toString()));
        oldFile = dir.resolve("old/wallets.dsks");
        DynamicShareKeyStore ks = old.newStore();
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            ks.setEntry(w.alias(), w.entry(), null);
        }
        ks.store(FileStoreParameter.of(oldFile));
    }

    /** A new development KEK elsewhere, with the same escrow certificate configured. */
    EscrowFixture.DevStore newKek() throws Exception {
        return new EscrowFixture.DevStore(dir.resolve("new"), EscrowFixture.props("escrow.certificate", cert.toString()));
    }

    static void assertAllWallets(DynamicShareKeyStore ks) throws Exception {
        assertEquals(EscrowFixture.WALLETS.size(), ks.size());
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            assertArrayEquals(w.shares(), ks.getKey(w.alias(), null).getEncoded(), w.alias());
            assertEquals(new String(w.metadata(), java.nio.charset.StandardCharsets.UTF_8),
                    io.dynamicshare.entry.WalletAttributes.get(ks.getEntry(w.alias(), null),
                            io.dynamicshare.entry.WalletAttributes.WALLET_METADATA));
        }
    }

    @Test
    void aStoreWhoseKekIsDeletedIsRestoredUnderANewKekAndReportedUnauthenticated() throws Exception {
        Files.delete(old.kekFile); // the primary KEK no longer exists anywhere
        EscrowFixture.DevStore fresh = newKek();
        StoreContext ctx = StoreContext.of(StoreConfig.load(fresh.config));
        Path newFile = dir.resolve("new/wallets.dsks");
        DynamicShareKeyStore dest = fresh.newStore();

        Recovery.UnauthenticatedException refused = assertThrows(Recovery.UnauthenticatedException.class,
                () -> Recovery.run(oldFile, ctx.keks(), escrow, dest, newFile, 2, false, null));
        assertTrue(refused.getMessage().contains("cannot be opened"), refused.getMessage());
        assertFalse(Files.exists(newFile), "nothing written when refused");

        List<Integer> progress = new ArrayList<>();
        RecoveryReport r = Recovery.run(oldFile, ctx.keks(), escrow, dest, newFile, 3, true, (d, t) -> progress.add(d));
        assertFalse(r.storeKeyOpened());
        assertTrue(r.storeKeyProblem().contains(old.kek.keyName()), r.storeKeyProblem());
        assertEquals(null, r.fileMacVerified());
        assertEquals(4, r.unauthenticated().size());
        assertEquals(List.of(), r.authenticated());
        assertEquals(Map.of(), r.failures());
        assertFalse(r.complete());
        assertEquals(List.of(1, 2, 3, 4), progress);

        DynamicShareKeyStore restored = fresh.open(newFile);
        assertAllWallets(restored);
        assertEquals(Map.of(fresh.kek.keyName() + "/v1", 4), restored.inventory().entriesByKek());
        assertEquals(4, restored.inventory().escrow().entriesWithEscrow(), "the new store is escrowed too");
    }

    @Test
    void withTheOldKekStillAllowedEveryEntryIsAuthenticatedAndARerunResumes() throws Exception {
        StoreContext ctx = StoreContext.of(StoreConfig.load(old.config));
        Path newFile = dir.resolve("old/restored.dsks");
        DynamicShareKeyStore partial = old.newStore();
        EscrowFixture.Wallet first = EscrowFixture.WALLETS.get(0);
        partial.setEntry(first.alias(), first.entry(), null);
        partial.store(FileStoreParameter.of(newFile)); // an earlier run stopped after one entry

        RecoveryReport r = Recovery.run(oldFile, ctx.keks(), escrow, old.open(newFile), newFile, 1, false, null);
        assertTrue(r.storeKeyOpened());
        assertEquals(Boolean.TRUE, r.fileMacVerified());
        assertEquals(List.of(first.alias()), r.alreadyPresent());
        assertEquals(3, r.authenticated().size());
        assertTrue(r.complete());
        assertAllWallets(old.open(newFile));
    }
}
