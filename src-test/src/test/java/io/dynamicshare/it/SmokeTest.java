package io.dynamicshare.it;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyStore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeTest {
    @TempDir
    Path dir;

    @Test
    void roundTrip() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.RSA_OAEP_256);
        KeyStore ks = dev.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        byte[] file = DevStores.bytes(ks);
        KeyStore again = dev.open(file);
        assertEquals(Fixtures.WALLETS.size(), again.size());
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) again.getEntry(w.alias(), null);
            assertArrayEquals(w.shares(), e.getSecretKey().getEncoded());
            assertEquals(new String(w.metadata()), WalletAttributes.get(e, WalletAttributes.WALLET_METADATA));
        }
        dev.events.forEach(System.out::println);
    }
}
