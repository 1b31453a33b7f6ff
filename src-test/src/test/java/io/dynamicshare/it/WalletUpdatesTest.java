package io.dynamicshare.it;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.kek.WrapAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The SDK's mutating results land as one atomic entry update, or not at all. */
class WalletUpdatesTest {
    @TempDir
    Path dir;
    DevStores dev;
    KeyStore ks;
    final Fixtures.Wallet evm = Fixtures.WALLETS.get(0);

    @BeforeEach
    void store() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        ks = dev.newStore();
        ks.setEntry(evm.alias(), WalletEntry.of(evm.shares(), evm.metadata()), null);
    }

    private String metadata() throws Exception {
        return WalletAttributes.get(ks.getEntry(evm.alias(), null), WalletAttributes.WALLET_METADATA);
    }

    @Test
    void passwordUpdateMergesBackupInfoAndKeepsShares() throws Exception {
        WalletUpdates.applyPasswordUpdate(ks, evm.alias(), Fixtures.read("evm-2of2/update-password.return.json"), null);
        String m = metadata();
        assertContains(m, "593e0de6-6136-496d-9a56-df459ba45690", "\"walletId\"", "\"derivationPath\"");
        assertFalse(m.contains("dbe13c31-ee5a-45ae-bebe-4e33d8c6d1d2"), "the old keyShareId is gone");
        assertArrayEquals(evm.shares(), ks.getKey(evm.alias(), null).getEncoded());
    }

    @Test
    void refreshReplacesSharesAndBackupInfoTogether() throws Exception {
        byte[] refresh = Fixtures.read("evm-2of2/refresh-wallet-account-shares.return.json");
        WalletUpdates.applyShareRefresh(ks, evm.alias(), refresh, null);
        byte[] newShares = ks.getKey(evm.alias(), null).getEncoded();
        assertFalse(java.util.Arrays.equals(evm.shares(), newShares));
        String refreshText = new String(refresh, StandardCharsets.UTF_8);
        String sharesFromResult = refreshText.substring(refreshText.indexOf('['), refreshText.indexOf("],") + 1);
        assertEquals(sharesFromResult.replaceAll("\\s", ""), new String(newShares, StandardCharsets.UTF_8).replaceAll("\\s", ""));
        KeyStore again = dev.open(DevStores.bytes(ks));
        assertArrayEquals(newShares, again.getKey(evm.alias(), null).getEncoded());
    }

    @Test
    void reshareAlsoChangesTheSchemeAndIsRefusedWhenSharesDoNotFitIt() throws Exception {
        byte[] before = DevStores.bytes(ks);
        byte[] refresh = Fixtures.read("evm-2of2/refresh-wallet-account-shares.return.json");
        KeyStoreException e = assertThrows(KeyStoreException.class,
                () -> WalletUpdates.applyReshare(ks, evm.alias(), refresh, "TWO_OF_THREE", null));
        assertContains(e.getMessage(), "alias '" + evm.alias() + "'", "TWO_OF_THREE expects 2");
        assertArrayEquals(before, DevStores.bytes(ks), "a refused update changes nothing");

        WalletUpdates.applyReshare(ks, evm.alias(), refresh, "TWO_OF_TWO", null);
        assertEquals("TWO_OF_TWO", WalletAttributes.get(ks.getEntry(evm.alias(), null), WalletAttributes.THRESHOLD_SIGNATURE_SCHEME));
    }

    @Test
    void resultsMissingTheirPartsAreRefused() throws Exception {
        byte[] before = DevStores.bytes(ks);
        assertContains(assertThrows(KeyStoreException.class, () -> WalletUpdates.applyShareRefresh(ks, evm.alias(),
                Fixtures.read("evm-2of2/update-password.return.json"), null)).getMessage(), "no externalServerKeyShares");
        assertContains(assertThrows(KeyStoreException.class, () -> WalletUpdates.applyPasswordUpdate(ks, "unknown",
                Fixtures.read("evm-2of2/update-password.return.json"), null)).getMessage(), "alias 'unknown'");
        assertArrayEquals(before, DevStores.bytes(ks));
    }
}
