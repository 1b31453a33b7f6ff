package io.dynamicshare.it;

import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.EntryLimits;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Symmetry, proven over generated inputs: whatever {@code setEntry} accepts, {@code store -> load -> getEntry}
 * returns identically; whatever it refuses, it refused at the door and the store is unchanged. Aliases are
 * generated across the whole of UTF-16 (controls, unpaired surrogates, separators, 4-byte characters) and
 * around the {@value EntryLimits#MAX_ALIAS_BYTES}-byte limit; shares and metadata around their size limits.
 * One property runs with a fixed seed; the other with a random one, which jqwik prints in its report.
 */
public class WriteReadSymmetryTest {
    private static Path dir;
    private static DevStores dev;
    private static final AtomicInteger accepted = new AtomicInteger();
    private static final AtomicInteger refused = new AtomicInteger();

    @BeforeContainer
    static void keys() throws Exception {
        dir = Files.createTempDirectory("symmetry");
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
    }

    @AfterContainer
    static void report() {
        System.out.println("WriteReadSymmetryTest: " + accepted + " accepted and read back, " + refused
                + " refused by setEntry");
        assertTrue(accepted.get() > 0 && refused.get() > 0, "the generators reach both sides of the limits");
    }

    @Property(tries = 150, seed = "20261130")
    void fixedSeed(@ForAll("aliases") String alias, @ForAll("padding") int sharesPad, @ForAll("padding") int metadataPad)
            throws Exception {
        roundTripOrRefusedAtTheDoor(alias, sharesPad, metadataPad);
    }

    @Property(tries = 100)
    void randomSeed(@ForAll("aliases") String alias, @ForAll("padding") int sharesPad, @ForAll("padding") int metadataPad)
            throws Exception {
        roundTripOrRefusedAtTheDoor(alias, sharesPad, metadataPad);
    }

    private static void roundTripOrRefusedAtTheDoor(String alias, int sharesPad, int metadataPad) throws Exception {
        Fixtures.Wallet w = Fixtures.WALLETS.get(3);
        byte[] shares = padShares(w.shares(), sharesPad);
        byte[] metadata = padMetadata(w.metadata(), metadataPad);
        KeyStore ks = dev.newStore();
        ks.setEntry("anchor", WalletEntry.of(w.shares(), w.metadata()), null);
        byte[] before = DevStores.bytes(ks);
        try {
            ks.setEntry(alias, WalletEntry.of(shares, metadata), null);
        } catch (KeyStoreException e) {
            refused.incrementAndGet();
            assertArrayEquals(before, DevStores.bytes(ks), "a refused setEntry changes nothing");
            return;
        }
        accepted.incrementAndGet();
        KeyStore again = dev.open(DevStores.bytes(ks));
        assertTrue(Collections.list(again.aliases()).contains(alias), "the alias reads back as written");
        KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) again.getEntry(alias, null);
        assertArrayEquals(shares, e.getSecretKey().getEncoded(), "the shares read back byte for byte");
        assertEquals(new String(metadata, StandardCharsets.UTF_8), WalletAttributes.get(e, WalletAttributes.WALLET_METADATA));
        assertEquals(alias.equals("anchor") ? 1 : 2, again.size());
    }

    /** Spaces inside the JSON array: still the SDK's JSON, {@code pad} bytes longer. */
    public static byte[] padShares(byte[] json, int pad) {
        int target = pad < 0 ? 0 : pad;
        byte[] out = Arrays.copyOf(json, json.length + target);
        int close = json.length - 1;
        while (json[close] != ']') {
            close--;
        }
        System.arraycopy(json, close, out, close + target, json.length - close);
        Arrays.fill(out, close, close + target, (byte) ' ');
        return out;
    }

    /** An unknown metadata field carrying {@code pad} characters (kept as written: metadata is stored verbatim). */
    public static byte[] padMetadata(byte[] json, int pad) {
        if (pad <= 0) {
            return json;
        }
        String s = new String(json, StandardCharsets.UTF_8);
        int open = s.indexOf('{');
        return (s.substring(0, open + 1) + "\"padding\":\"" + "p".repeat(pad) + "\"," + s.substring(open + 1))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<Integer> padding() {
        return paddings();
    }

    @Provide
    Arbitrary<String> aliases() {
        return aliasArbitrary();
    }

    /** Shares and metadata padding, around their size limits. */
    public static Arbitrary<Integer> paddings() {
        int shares = EntryLimits.MAX_SHARES_BYTES;
        int metadata = EntryLimits.MAX_METADATA_BYTES;
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 4096),
                Arbitraries.of(metadata - 2000, metadata - 20, metadata, metadata + 1, shares - 1200, shares, shares + 1));
    }

    /** Aliases across the whole of UTF-16 and around the alias and reader limits. */
    public static Arbitrary<String> aliasArbitrary() {
        Arbitrary<String> anyUtf16 = Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40);
        Arbitrary<String> addressLike = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(70);
        Arbitrary<String> nearLimit = Combinators.combine(
                Arbitraries.of("a", "é", "€", "\uD83D\uDE00", "\u0007", "\uD800", "\u2028"),
                Arbitraries.integers().between(EntryLimits.MAX_ALIAS_BYTES / 4 - 2, EntryLimits.MAX_ALIAS_BYTES + 2))
                .as((unit, n) -> unit.repeat(Math.max(1, n / Math.max(1, unit.getBytes(StandardCharsets.UTF_8).length))));
        Arbitrary<String> exactLimit = Arbitraries.integers().between(-2, 2)
                .map(d -> "x".repeat(EntryLimits.MAX_ALIAS_BYTES + d));
        // Around the reader's own bounds too (4,096 bytes, the u16 length field), where the old writer broke files.
        Arbitrary<String> readerBounds = Arbitraries.of(4095, 4096, 4097, 65535, 65536).map("x"::repeat);
        return Arbitraries.oneOf(anyUtf16, addressLike, nearLimit, exactLimit, readerBounds);
    }
}
