package io.dynamicshare.it;

import io.dynamicshare.entry.EntryConflictException;
import io.dynamicshare.entry.ReplaceIfUnchanged;
import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.kek.WrapAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read-modify-write of one wallet is a compare-and-set: a password update racing share refreshes never puts
 * back shares from before a refresh (before, it merged into the entry it had read and wrote that back).
 */
class WalletUpdatesConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void aStaleVersionIsRefusedAndWritesNothing() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        KeyStore ks = dev.newStore();
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        String read = WalletAttributes.get(ks.getEntry(w.alias(), null), WalletAttributes.ENTRY_VERSION);
        assertEquals(24, read.length());
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null); // another writer
        byte[] before = DevStores.bytes(ks);
        EntryConflictException e = assertThrows(EntryConflictException.class, () -> ks.setEntry(w.alias(),
                WalletEntry.of(w.shares(), w.metadata()), new ReplaceIfUnchanged(read)));
        Asserts.assertContains(e.getMessage(), "alias '" + w.alias() + "'", "changed by another writer", "read it again");
        assertArrayEquals(before, DevStores.bytes(ks), "nothing was written");
        String now = WalletAttributes.get(ks.getEntry(w.alias(), null), WalletAttributes.ENTRY_VERSION);
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), new ReplaceIfUnchanged(now));
    }

    @Test
    void passwordUpdatesRacingRefreshesNeverPutBackOldShares() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        KeyStore ks = dev.newStore();
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        byte[] password = Fixtures.read("evm-2of2/update-password.return.json");
        String refresh = new String(Fixtures.read("evm-2of2/refresh-wallet-account-shares.return.json"),
                StandardCharsets.UTF_8);
        int refreshes = 40;
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            java.util.List<Future<Integer>> merges = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                merges.add(pool.submit(() -> {
                    int n = 0;
                    while (!done.get() && n < 100_000) {
                        try {
                            WalletUpdates.applyPasswordUpdate(ks, w.alias(), password, null);
                            n++;
                        } catch (EntryConflictException e) {
                            // Lost the race three times in a row: nothing was written, which is the point.
                        }
                    }
                    return n;
                }));
            }
            byte[] last = null;
            for (int i = 1; i <= refreshes; i++) {
                // Distinct, valid shares for each refresh: the SDK's JSON with i spaces inside the array.
                String result = refresh.replaceFirst("\\[", "[" + " ".repeat(i));
                for (int attempt = 0; ; attempt++) {
                    try {
                        WalletUpdates.applyShareRefresh(ks, w.alias(), result.getBytes(StandardCharsets.UTF_8), null);
                        break;
                    } catch (EntryConflictException e) {
                        assertTrue(attempt < 1000, "a refresh made no progress");
                    }
                }
                last = sharesOf(result);
            }
            done.set(true);
            assertTrue(merges.get(0).get() + merges.get(1).get() > 0, "password updates ran");
            byte[] stored = ((KeyStore.SecretKeyEntry) ks.getEntry(w.alias(), null)).getSecretKey().getEncoded();
            assertArrayEquals(last, stored, "the last acknowledged refresh's shares are the stored ones");
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    private static byte[] sharesOf(String refreshResult) {
        int from = refreshResult.indexOf('[');
        int to = refreshResult.indexOf("],", from) + 1;
        return refreshResult.substring(from, to).getBytes(StandardCharsets.UTF_8);
    }
}
