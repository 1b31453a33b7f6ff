package io.dynamicshare.backend;

import io.dynamicshare.entry.EntryConflictException;
import io.dynamicshare.entry.ReplaceIfUnchanged;
import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.EntryLimits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KeyStore contract every backend keeps (StoreBackend): the same calls, the same answers, the same refusals, over
 * the file container and over PostgreSQL. Backend-specific semantics have their own tests.
 */
abstract class BackendContract {
    @TempDir
    Path dir;
    DevStores dev;
    Target target;
    KeyStore ks;

    abstract Target target(DevStores dev) throws Exception;

    /** What the configuration adds (e.g. {@code kek.mode}); nothing unless a subclass says. */
    java.util.Properties config() {
        return new java.util.Properties();
    }

    @BeforeEach
    void store() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256, config());
        target = target(dev);
        ks = target.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
    }

    @Test
    void unknownAliasGivesNullFalseOrNothing() throws Exception {
        assertNull(ks.getKey("nope", null));
        assertNull(ks.getEntry("nope", null));
        assertFalse(ks.containsAlias("nope"));
        assertFalse(ks.isKeyEntry("nope"));
        assertNull(ks.getCreationDate("nope"));
        assertFalse(ks.entryInstanceOf("nope", KeyStore.SecretKeyEntry.class));
        ks.deleteEntry("nope");
        assertEquals(4, ks.size());
    }

    @Test
    void aliasesSizeContainsAndDelete() throws Exception {
        List<String> written = Fixtures.WALLETS.stream().map(Fixtures.Wallet::alias).toList();
        assertEquals(target.aliasOrder(written), Collections.list(ks.aliases()));
        assertEquals(4, ks.size());
        Fixtures.Wallet first = Fixtures.WALLETS.get(0);
        ks.setEntry(first.alias(), WalletEntry.of(first.shares(), first.metadata()), null);
        assertEquals(target.aliasOrder(written), Collections.list(ks.aliases()), "replacing adds no alias");
        ks.deleteEntry(written.get(1));
        assertFalse(ks.containsAlias(written.get(1)));
        assertEquals(3, ks.size());
        assertFalse(ks.containsAlias(written.get(3).toLowerCase()), "aliases are case-sensitive (base58 addresses)");
        List<String> left = List.of(written.get(0), written.get(2), written.get(3));
        assertEquals(target.aliasOrder(left), Collections.list(target.reopen(ks).aliases()));
    }

    @Test
    void everyEntryReadsBackThroughAFreshInstance() throws Exception {
        Date before = new Date(System.currentTimeMillis() - 1);
        ks.setEntry("dated", WalletEntry.of(Fixtures.WALLETS.get(0).shares(), Fixtures.WALLETS.get(0).metadata()), null);
        KeyStore again = target.reopen(ks);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            WalletShareKey key = assertInstanceOf(WalletShareKey.class, again.getKey(w.alias(), null));
            assertArrayEquals(w.shares(), key.getEncoded(), w.alias());
            assertEquals(new String(w.metadata(), StandardCharsets.UTF_8),
                    WalletAttributes.get(again.getEntry(w.alias(), null), WalletAttributes.WALLET_METADATA));
            assertTrue(again.entryInstanceOf(w.alias(), KeyStore.SecretKeyEntry.class));
        }
        Date created = ks.getCreationDate("dated");
        assertFalse(created.before(before));
        assertEquals(created, again.getCreationDate("dated"), "the creation date is bound into the entry");
    }

    @Test
    void attributesComeFromMetadataWithoutUnwrappingAnyKey() throws Exception {
        DynamicShareKeyStore again = (DynamicShareKeyStore) target.reopen(ks);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            assertTrue(again.attributes(w.alias()).stream().anyMatch(a -> a.getName().equals(
                    WalletAttributes.ACCOUNT_ADDRESS) && a.getValue().equals(w.alias())), w.alias());
        }
        assertEquals(0, again.cacheStats().unwrapCalls(), "no data key was unwrapped to answer attributes");
    }

    @Test
    void compareAndSetRefusesAStaleVersionAndWritesNothing() throws Exception {
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        String read = WalletAttributes.get(ks.getEntry(w.alias(), null), WalletAttributes.ENTRY_VERSION);
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null); // another writer
        Object before = target.snapshot(ks);
        EntryConflictException e = assertThrows(EntryConflictException.class, () -> ks.setEntry(w.alias(),
                WalletEntry.of(w.shares(), w.metadata()), new ReplaceIfUnchanged(read)));
        assertContains(e.getMessage(), "alias '" + w.alias() + "'", "changed by another writer", "read it again");
        assertEquals(before, target.snapshot(ks), "nothing was written");
        ks.deleteEntry(w.alias());
        assertContains(assertThrows(EntryConflictException.class, () -> ks.setEntry(w.alias(),
                WalletEntry.of(w.shares(), w.metadata()), new ReplaceIfUnchanged(read))).getMessage(), "was deleted");
        assertFalse(ks.containsAlias(w.alias()));
        Fixtures.Wallet other = Fixtures.WALLETS.get(1);
        String now = WalletAttributes.get(ks.getEntry(other.alias(), null), WalletAttributes.ENTRY_VERSION);
        ((DynamicShareKeyStore) ks).replaceEntry(other.alias(), now, WalletEntry.of(other.shares(), other.metadata()));
        assertFalse(now.equals(WalletAttributes.get(target.reopen(ks).getEntry(other.alias(), null),
                WalletAttributes.ENTRY_VERSION)));
    }

    @Test
    void walletUpdatesLandAsOneEntryUpdateOrNotAtAll() throws Exception {
        Fixtures.Wallet evm = Fixtures.WALLETS.get(0);
        WalletUpdates.applyPasswordUpdate(ks, evm.alias(), Fixtures.read("evm-2of2/update-password.return.json"), null);
        String m = WalletAttributes.get(target.reopen(ks).getEntry(evm.alias(), null), WalletAttributes.WALLET_METADATA);
        assertContains(m, "593e0de6-6136-496d-9a56-df459ba45690");
        byte[] refresh = Fixtures.read("evm-2of2/refresh-wallet-account-shares.return.json");
        Object before = target.snapshot(ks);
        assertContains(assertThrows(KeyStoreException.class, () -> WalletUpdates.applyReshare(ks, evm.alias(), refresh,
                "TWO_OF_THREE", null)).getMessage(), "alias '" + evm.alias() + "'", "TWO_OF_THREE expects 2");
        assertEquals(before, target.snapshot(ks), "a refused update changes nothing");
        WalletUpdates.applyShareRefresh(ks, evm.alias(), refresh, null);
        byte[] newShares = target.reopen(ks).getKey(evm.alias(), null).getEncoded();
        assertFalse(Arrays.equals(evm.shares(), newShares));
        assertArrayEquals(newShares, ks.getKey(evm.alias(), null).getEncoded());
    }

    @Test
    void limitsAreRefusedAtTheDoorAndChangeNothing() throws Exception {
        Fixtures.Wallet w = Fixtures.WALLETS.get(3);
        Object before = target.snapshot(ks);
        String tooLong = "x".repeat(EntryLimits.MAX_ALIAS_BYTES + 1);
        assertContains(assertThrows(KeyStoreException.class, () -> ks.setEntry(tooLong, WalletEntry.of(w.shares(),
                w.metadata()), null)).getMessage(), "bytes of UTF-8; the limit is " + EntryLimits.MAX_ALIAS_BYTES);
        assertContains(assertThrows(KeyStoreException.class, () -> ks.setEntry("bad\u0007alias", WalletEntry.of(
                w.shares(), w.metadata()), null)).getMessage(), "control character");
        byte[] huge = new byte[EntryLimits.MAX_SHARES_BYTES + 1];
        assertThrows(KeyStoreException.class, () -> ks.setEntry("huge", WalletEntry.of(huge, w.metadata()), null));
        assertEquals(before, target.snapshot(ks), "refused writes change nothing");
        String exact = "y".repeat(EntryLimits.MAX_ALIAS_BYTES);
        ks.setEntry(exact, WalletEntry.of(w.shares(), w.metadata()), null);
        assertArrayEquals(w.shares(), target.reopen(ks).getKey(exact, null).getEncoded(), "the longest alias fits");
    }

    @Test
    void rekeyAndRewrapKeepEveryEntryReadable() throws Exception {
        DynamicShareKeyStore d = (DynamicShareKeyStore) ks;
        assertEquals(0, d.rewrap(null, 10), "already wrapped by the newest version");
        long epoch = d.inventory().keyEpoch();
        int remaining = d.rekey(1);
        assertEquals(3, remaining, "one of four entries resealed per batch of 1");
        while (remaining > 0) {
            remaining = d.rekey(2);
        }
        assertEquals(epoch + 1, d.inventory().keyEpoch());
        KeyStore again = target.reopen(ks);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            assertArrayEquals(w.shares(), again.getKey(w.alias(), null).getEncoded(), w.alias());
        }
        assertEquals(0, ((DynamicShareKeyStore) again).verify().size());
    }
}
