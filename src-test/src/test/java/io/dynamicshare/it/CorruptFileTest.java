package io.dynamicshare.it;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.KekNotAllowedException;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.StoreIntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every bad file is a {@link StoreIntegrityException} with a message: one bit flipped at every position of a
 * store, and every truncation. The one exception is the version field, which says "not a format this code
 * reads" (a plain IOException: the file may be fine, the reader is too old), and a KEK id bit-flipped into one
 * the configuration does not allow ({@link KekNotAllowedException}, never contacted). Before, a flip in the wrapped MAC
 * key surfaced as a key-service error, which operators are told means "the file may be fine".
 */
class CorruptFileTest {
    @TempDir
    Path dir;

    @Test
    void everyFlippedBitAndEveryTruncationIsAnIntegrityFailure() throws Exception {
        for (WrapAlgorithm algorithm : WrapAlgorithm.values()) {
            DevStores dev = new DevStores(dir.resolve(algorithm.name()), algorithm);
            KeyStore ks = dev.newStore();
            Fixtures.Wallet w = Fixtures.WALLETS.get(3);
            ks.setEntry("a", WalletEntry.of(w.shares(), w.metadata()), null);
            byte[] file = DevStores.bytes(ks);
            // Every byte of the header and the store key block, and a stride through the entry (its DER bytes are
            // all covered by one entry tag, so a sample of positions proves as much as all of them).
            int headerEnd = 8 + 2 + 16 + 8 + 4 + readInt(file, 34) + 4 + 2 + 1 + 4;
            int checked = 0;
            for (int i = 0; i < file.length; i += i < headerEnd || i > file.length - 64 ? 1 : 97) {
                byte[] bad = file.clone();
                bad[i] ^= (byte) (1 << (i % 8));
                expectRefused(dev, bad, i >= 8 && i < 10, algorithm + " bit flipped at " + i);
                checked++;
            }
            for (int n = 0; n < file.length; n += n < 64 ? 1 : 211) {
                expectRefused(dev, Arrays.copyOf(file, n), n == 9, algorithm + " truncated to " + n);
            }
            assertTrue(checked > headerEnd, "every header byte and a sample of the rest: " + checked);
            assertEquals(1, dev.open(file).size(), "the untouched file still loads");
        }
    }

    private static void expectRefused(DevStores dev, byte[] bad, boolean versionField, String what) {
        try {
            dev.open(bad);
            fail(what + ": loaded");
        } catch (IOException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), what + ": no message");
            if (versionField) {
                assertFalse(e instanceof StoreIntegrityException && !e.getMessage().contains("truncated"),
                        what + ": an unknown version is not called tampering: " + e);
            } else if (!(e.getCause() instanceof KekNotAllowedException)) {
                // A flipped bit in a KEK id names a key the configuration does not allow: refused before any key
                // service is asked, with its own clear error (a genuine store under an unlisted key reads the same).
                assertTrue(e instanceof StoreIntegrityException, what + ": " + e);
            }
        } catch (Exception e) {
            fail(what + ": " + e, e);
        }
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
