package io.dynamicshare.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The forged ciphertext must pass the JDK's own GCM tag check under both keys. */
class GcmTwoKeyCiphertextTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest(name = "aad={0} bytes, {1} blocks")
    @CsvSource({"0, 2", "5, 2", "16, 3", "37, 4", "0, 7", "64, 2"})
    void decryptsUnderBothKeys(int aadLength, int blocks) throws Exception {
        byte[] k1 = random(32);
        byte[] k2 = random(32);
        while (Arrays.equals(k1, k2)) {
            k2 = random(32);
        }
        byte[] nonce = random(12);
        byte[] aad = random(aadLength);

        byte[] forged = GcmTwoKeyCiphertext.forge(k1, k2, nonce, aad, blocks);
        assertEquals(blocks * 16 + 16, forged.length);

        byte[] p1 = decrypt(k1, nonce, aad, forged);
        byte[] p2 = decrypt(k2, nonce, aad, forged);
        assertEquals(blocks * 16, p1.length);
        assertEquals(blocks * 16, p2.length);
        assertFalse(Arrays.equals(p1, p2), "the two keys must yield different plaintexts");

        // Any single-byte change (ciphertext or tag) must break authentication under k1.
        for (int pos : new int[] {0, forged.length - 17, forged.length - 1}) {
            byte[] tampered = forged.clone();
            tampered[pos] ^= 0x01;
            assertThrows(AEADBadTagException.class, () -> decrypt(k1, nonce, aad, tampered));
        }
    }

    @Test
    void inverseTimesValueIsOne() {
        long[] one = {0x8000000000000000L, 0}; // x^0 is the MSB of byte 0 in GCM's bit order
        for (int i = 0; i < 20; i++) {
            long[] x = {RANDOM.nextLong(), RANDOM.nextLong() | 1};
            assertArrayEquals(one, GcmTwoKeyCiphertext.mul(x, GcmTwoKeyCiphertext.inverse(x)));
            assertArrayEquals(x, GcmTwoKeyCiphertext.mul(x, one));
        }
    }

    @Test
    void rejectsSingleBlockAndEqualKeys() {
        byte[] k = random(32);
        assertThrows(IllegalArgumentException.class,
                () -> GcmTwoKeyCiphertext.forge(k, random(32), random(12), new byte[0], 1));
        assertThrows(IllegalArgumentException.class,
                () -> GcmTwoKeyCiphertext.forge(k, k.clone(), random(12), new byte[0], 2));
    }

    private static byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ctAndTag) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(aad);
        return gcm.doFinal(ctAndTag);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
