package io.dynamicshare.escrow;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * RED TEAM: docs/SECURITY.md section 7: "{@code recover} checks every entry tag and the file MAC whenever the old
 * store key can still be opened ..., and restores nothing that fails." {@link Recovery} computes the file MAC but
 * only reports it: every entry whose tag verifies is restored, and listed as <em>authenticated</em>, even when the
 * file MAC fails. Entry tags alone do not bind an entry to one version of the file, so A1 splices a wallet the
 * operator deleted (its genuine entry and tag from an older copy of the file, same store key) into the current file.
 * The recovered store holds it, authenticated under the new store key: laundered. (The CLI exits 1 afterwards, but
 * the destination file is already written and a rerun lists the wallet as "already present".)
 *
 * <p>Failed before the fix (the deleted wallet is restored as authenticated).
 */
class RedTeamRecoveryFileMacTest {
    @TempDir
    Path dir;

    @Test
    void aFileWhoseMacFailsRestoresNothing() throws Exception {
        Path cert = EscrowFixture.pem(dir.resolve("escrow.crt"), EscrowFixture.certificate(EscrowFixture.ESCROW,
                "escrow", 9));
        EscrowOpener escrow = EscrowOpener.of(EscrowFixture.ESCROW.getPrivate());
        EscrowFixture.DevStore old = new EscrowFixture.DevStore(dir.resolve("old"),
                EscrowFixture.props("escrow.certificate", cert.toString()));
        DynamicShareKeyStore ks = old.newStore();
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            ks.setEntry(w.alias(), w.entry(), null);
        }
        Path g1 = dir.resolve("old/g1.dsks");
        ks.store(FileStoreParameter.of(g1));
        EscrowFixture.Wallet deleted = EscrowFixture.WALLETS.get(3);
        ks.deleteEntry(deleted.alias()); // e.g. a compromised wallet, retired
        Path current = dir.resolve("old/wallets.dsks");
        ks.store(FileStoreParameter.of(current));

        // A1: the current file plus the deleted wallet's genuine record (alias, entry, tag) from the older copy.
        byte[] spliced = splice(Files.readAllBytes(current), record(Files.readAllBytes(g1), deleted.alias()));
        Path attacked = dir.resolve("old/attacked.dsks");
        Files.write(attacked, spliced);

        StoreContext ctx = StoreContext.of(StoreConfig.load(old.config)); // the old KEK still answers
        Path newFile = dir.resolve("old/restored.dsks");
        DynamicShareKeyStore dest = old.newStore();
        RecoveryReport r;
        try {
            r = Recovery.run(attacked, ctx.keks(), escrow, dest, newFile, 100, false, null);
        } catch (Recovery.UnauthenticatedException refused) {
            assertFalse(Files.exists(newFile), "refused: nothing written");
            return;
        }
        assertEquals(Boolean.FALSE, r.fileMacVerified(), "the splice breaks the file MAC");
        assertFalse(r.authenticated().contains(deleted.alias()), "a wallet from a file whose MAC FAILED was restored "
                + "as AUTHENTICATED: " + r);
        if (Files.exists(newFile)) {
            assertFalse(old.open(newFile).containsAlias(deleted.alias()), "the deleted wallet is back, laundered into "
                    + "the recovered store");
        }
    }

    /** The bytes of {@code alias}'s record (u16 alias length, alias, u32 entry length, entry, 32-byte tag). */
    static byte[] record(byte[] file, String alias) {
        ByteBuffer b = ByteBuffer.wrap(file);
        b.position(8 + 2 + 16 + 8);
        int blockLength = b.getInt();
        b.position(b.position() + blockLength);
        int count = b.getInt();
        for (int i = 0; i < count; i++) {
            int start = b.position();
            byte[] a = new byte[b.getShort() & 0xffff];
            b.get(a);
            int entryLength = b.getInt();
            b.position(b.position() + entryLength + 32);
            if (new String(a, java.nio.charset.StandardCharsets.UTF_8).equals(alias)) {
                return Arrays.copyOfRange(file, start, b.position());
            }
        }
        throw new IllegalStateException("no record for " + alias);
    }

    /** {@code file} with {@code record} appended after its last entry and the entry count raised by one. */
    static byte[] splice(byte[] file, byte[] record) {
        ByteBuffer b = ByteBuffer.wrap(file);
        b.position(8 + 2 + 16 + 8);
        int blockLength = b.getInt();
        b.position(b.position() + blockLength);
        int countAt = b.position();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, file.length - 32);
        out.write(record, 0, record.length);
        out.write(file, file.length - 32, 32); // the old file MAC: no longer matches
        byte[] s = out.toByteArray();
        ByteBuffer.wrap(s).putInt(countAt, b.getInt(countAt) + 1);
        return s;
    }
}
