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
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

    private boolean signs() {
        return expectedAlgorithm() == WrapAlgorithm.RSA_OAEP_256;
    }

    @Test
    void rsaSignatureVerifiesForItsMessageOnly() throws Exception {
        assumeTrue(signs(), "an RSA KEK signs; an AES KEK's wraps anchor a store by themselves");
        Kek kek = kek();
        byte[] message = new byte[300];
        RANDOM.nextBytes(message);
        KekSignature s = kek.sign(message);
        assertEquals(kek.newestVersion(), s.signer(), "signed by the version that wraps now");
        assertTrue(kek.verify(s.signer(), message, s.value()));

        byte[] otherMessage = message.clone();
        otherMessage[0] ^= 0x01;
        assertFalse(kek.verify(s.signer(), otherMessage, s.value()), "another message");
        int length = s.value().length;
        for (int i : new int[] {0, length / 2, length - 1}) {
            byte[] f = s.value();
            f[i] ^= 0x01;
            assertFalse(kek.verify(s.signer(), message, f), "signature byte " + i + " flipped");
        }
        assertNotEquals(HexFormat.of().formatHex(s.value()), HexFormat.of().formatHex(kek.sign(message).value()),
                "PSS is randomised");
    }

    @Test
    void garbageSignaturesAreFalseNotErrors() throws Exception {
        // What a forged store can carry: too short, too long, or a number larger than the modulus.
        assumeTrue(signs(), "an RSA KEK signs");
        Kek kek = kek();
        byte[] message = new byte[64];
        KekSignature s = kek.sign(message);
        int length = s.value().length;
        byte[] allOnes = new byte[length];
        java.util.Arrays.fill(allOnes, (byte) 0xff);
        for (byte[] garbage : new byte[][] {new byte[1], new byte[length - 1], new byte[length + 1], new byte[length],
                allOnes}) {
            assertFalse(kek.verify(s.signer(), message, garbage), garbage.length + " bytes");
        }
    }

    @Test
    void rsaSignatureIsBoundToItsSignerVersion() throws Exception {
        assumeTrue(signs(), "an RSA KEK signs");
        Kek kek = kek();
        byte[] message = "statement".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        KekSignature old = kek.sign(message);
        Kek rotated = rotate(kek);
        KekId newest = rotated.newestVersion(); // asks the key service now, as after a rotation
        KekSignature fresh = rotated.sign(message);
        assertEquals(newest, fresh.signer(), "signs with the version it now wraps with");
        assertNotEquals(old.signer(), fresh.signer());
        assertTrue(rotated.verify(old.signer(), message, old.value()), "an older version's signature still verifies");
        assertTrue(rotated.verify(fresh.signer(), message, fresh.value()));
        assertFalse(rotated.verify(fresh.signer(), message, old.value()), "not as the other version's");
        assertFalse(rotated.verify(old.signer(), message, fresh.value()));
    }

    @Test
    void anotherKeysSignatureDoesNotVerify() throws Exception {
        assumeTrue(signs(), "an RSA KEK signs");
        Kek kek = kek();
        Kek other = otherKek();
        byte[] message = new byte[32];
        KekSignature foreign = other.sign(message);
        // Refused as another key's version (Azure: another key name), or, where the other key's versions carry the
        // same ids (two development KEK files of one name), verified against this key's public key and false.
        boolean accepted;
        try {
            accepted = kek.verify(foreign.signer(), message, foreign.value());
        } catch (KekException e) {
            accepted = false;
        }
        assertFalse(accepted);
    }

    @Test
    void aesKekDoesNotSign() throws Exception {
        assumeFalse(signs(), "only an AES KEK refuses to sign");
        Kek kek = kek();
        KekException e = assertThrows(KekException.class, () -> kek.sign(new byte[32]));
        assertNotNull(e.kekId());
        assertThrows(KekException.class, () -> kek.verify(kek.newestVersion(), new byte[32], new byte[256]),
                "nor verifies");
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
