package io.dynamicshare.kek;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link Kek} implementation must pass. A subclass supplies the key under test, a
 * second, unrelated key, and a way to add a version (rotation).
 *
 * <p>Wrapping takes exactly a 32-byte data key or a 64-byte store key block. An RSA KEK signs (PS256) with the
 * version it wraps with and verifies with exactly the version named; an AES KEK neither signs nor verifies. The
 * signing tests are skipped (assumptions) for the kind of KEK they do not apply to.
 */
public abstract class KekContract {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The KEK under test (fresh per test). */
    protected abstract Kek kek() throws Exception;

    /** Another key of the same kind that must not open this one's wrapped keys. */
    protected abstract Kek otherKek() throws Exception;

    /** Adds a newer version of {@link #kek()}'s key and returns a Kek that wraps with it. */
    protected abstract Kek rotate(Kek kek) throws Exception;

    /** The algorithm this implementation wraps with. */
    protected abstract WrapAlgorithm expectedAlgorithm();

    protected static byte[] dataKey() {
        byte[] k = new byte[KeyWrapCiphers.DATA_KEY_LENGTH];
        RANDOM.nextBytes(k);
        return k;
    }

    @Test
    void wrapThenUnwrapGivesTheDataKeyBack() throws Exception {
        Kek kek = kek();
        byte[] dek = dataKey();
        WrappedKey w = kek.wrap(dek);
        assertArrayEquals(dek, kek.unwrap(w));
        assertEquals(expectedAlgorithm(), w.algorithm());
    }

    @Test
    void wrappedKeyNamesTheNewestVersionOfThisKey() throws Exception {
        Kek kek = kek();
        WrappedKey w = kek.wrap(dataKey());
        assertEquals(kek.newestVersion(), w.kekId());
        assertTrue(w.kekId().value().startsWith(kek.keyName()), w.kekId() + " is a version of " + kek.keyName());
        assertNotEquals(kek.keyName(), w.kekId().value(), "the id names a version, not just the key");
    }

    @Test
    void wrappedBytesDoNotContainTheDataKey() throws Exception {
        Kek kek = kek();
        byte[] dek = dataKey();
        byte[] wrapped = kek.wrap(dek).bytes();
        String hex = HexFormat.of().formatHex(wrapped);
        assertFalse(hex.contains(HexFormat.of().formatHex(dek, 0, 8)));
    }

    @Test
    void everyDataKeyWrapsDifferently() throws Exception {
        Kek kek = kek();
        assertNotEquals(kek.wrap(dataKey()), kek.wrap(dataKey()));
    }

    @Test
    void alteredWrappedKeyIsRefusedNeverGarbage() throws Exception {
        Kek kek = kek();
        WrappedKey w = kek.wrap(dataKey());
        byte[] b = w.bytes();
        b[b.length / 2] ^= 0x01;
        WrappedKey altered = new WrappedKey(w.kekId(), w.algorithm(), b);
        KekException e = assertThrows(KekException.class, () -> kek.unwrap(altered));
        assertTrue(e.getMessage().contains(w.kekId().value()), "message names the key: " + e.getMessage());
    }

    @Test
    void anotherKeysWrappedKeyIsRefused() throws Exception {
        Kek kek = kek();
        Kek other = otherKek();
        WrappedKey foreign = other.wrap(dataKey());
        KekException e = assertThrows(KekException.class, () -> kek.unwrap(foreign));
        assertNotNull(e.kekId());
    }

    @Test
    void unknownVersionIsRefused() throws Exception {
        Kek kek = kek();
        WrappedKey w = kek.wrap(dataKey());
        WrappedKey unknown = new WrappedKey(KekId.of(w.kekId().value() + "0"), w.algorithm(), w.bytes());
        assertThrows(KekException.class, () -> kek.unwrap(unknown));
    }

    @Test
    void aSixtyFourByteStoreKeyBlockRoundTrips() throws Exception {
        Kek kek = kek();
        byte[] block = new byte[KeyWrapCiphers.STORE_KEY_BLOCK_LENGTH];
        RANDOM.nextBytes(block);
        WrappedKey w = kek.wrap(block);
        assertEquals(expectedAlgorithm(), w.algorithm());
        assertEquals(kek.newestVersion(), w.kekId());
        assertArrayEquals(block, kek.unwrap(w));
        assertNotEquals(w, kek.wrap(dataKey()), "a data key wraps to something else");
    }

    @Test
    void onlyThirtyTwoAndSixtyFourByteKeysAreWrapped() throws Exception {
        Kek kek = kek();
        for (int n : new int[] {0, 1, 16, 24, 31, 33, 48, 63, 65, 96, 128}) {
            assertThrows(IllegalArgumentException.class, () -> kek.wrap(new byte[n]), n + " bytes");
        }
        assertThrows(IllegalArgumentException.class, () -> kek.wrap(null));
    }

    @Test
    void afterRotationNewKeysUseTheNewVersionAndOldOnesStillOpen() throws Exception {
        Kek kek = kek();
        byte[] dek = dataKey();
        WrappedKey old = kek.wrap(dek);
        Kek rotated = rotate(kek);
        assertNotEquals(old.kekId(), rotated.newestVersion());
        WrappedKey fresh = rotated.wrap(dek);
        assertEquals(rotated.newestVersion(), fresh.kekId());
        assertArrayEquals(dek, rotated.unwrap(old));
        assertArrayEquals(dek, rotated.unwrap(fresh));
    }

    @Test
    void concurrentWrapsAndUnwrapsAgree() throws Exception {
        Kek kek = kek();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> {
                    byte[] dek = dataKey();
                    return java.util.Arrays.equals(dek, kek.unwrap(kek.wrap(dek)));
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
