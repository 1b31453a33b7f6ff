package io.dynamicshare.backend;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.it.WriteReadSymmetryTest;
import io.dynamicshare.kek.WrapAlgorithm;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code it/WriteReadSymmetryTest}'s property over the PostgreSQL store, with its generators: whatever
 * {@code setEntry} accepts, a fresh instance reads back identically from the rows; whatever it refuses, it refused
 * at the door and not one row or block changed.
 */
class DatabaseWriteReadSymmetryTest {
    private static Target.Database db;
    private static final AtomicInteger accepted = new AtomicInteger();
    private static final AtomicInteger refused = new AtomicInteger();

    @BeforeContainer
    static void database() throws Exception {
        db = new Target.Database(new DevStores(Files.createTempDirectory("db-symmetry"), WrapAlgorithm.AES_KW_256));
    }

    @AfterContainer
    static void report() {
        System.out.println("DatabaseWriteReadSymmetryTest: " + accepted + " accepted and read back, " + refused
                + " refused by setEntry");
        assertTrue(accepted.get() > 0 && refused.get() > 0, "the generators reach both sides of the limits");
    }

    @Property(tries = 80, seed = "20261130")
    void fixedSeed(@ForAll("aliases") String alias, @ForAll("padding") int sharesPad, @ForAll("padding") int metadataPad)
            throws Exception {
        Fixtures.Wallet w = Fixtures.WALLETS.get(3);
        byte[] shares = WriteReadSymmetryTest.padShares(w.shares(), sharesPad);
        byte[] metadata = WriteReadSymmetryTest.padMetadata(w.metadata(), metadataPad);
        KeyStore ks = db.newStore();
        ks.setEntry("anchor", WalletEntry.of(w.shares(), w.metadata()), null);
        Object before = db.snapshot(ks);
        try {
            ks.setEntry(alias, WalletEntry.of(shares, metadata), null);
        } catch (KeyStoreException e) {
            refused.incrementAndGet();
            assertEquals(before, db.snapshot(ks), "a refused setEntry changes nothing");
            return;
        }
        accepted.incrementAndGet();
        KeyStore again = db.reopen(ks);
        assertTrue(Collections.list(again.aliases()).contains(alias), "the alias reads back as written");
        KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) again.getEntry(alias, null);
        assertArrayEquals(shares, e.getSecretKey().getEncoded(), "the shares read back byte for byte");
        assertEquals(new String(metadata, StandardCharsets.UTF_8),
                WalletAttributes.get(e, WalletAttributes.WALLET_METADATA));
        assertEquals(alias.equals("anchor") ? 1 : 2, again.size());
    }

    @Provide
    Arbitrary<Integer> padding() {
        return WriteReadSymmetryTest.paddings();
    }

    @Provide
    Arbitrary<String> aliases() {
        return WriteReadSymmetryTest.aliasArbitrary();
    }
}
