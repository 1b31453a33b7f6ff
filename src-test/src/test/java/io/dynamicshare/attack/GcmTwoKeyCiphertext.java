package io.dynamicshare.attack;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds one AES-256-GCM ciphertext+tag that authenticates under two different keys.
 *
 * <p>GCM is not key-committing ("invisible salamanders": Dodis, Grubbs, Ristenpart, Woodage 2018;
 * key partitioning: Len, Grubbs, Ristenpart 2021). The tag is {@code E_K(J0) ^ GHASH_H(A, C)} and
 * GHASH is linear in every ciphertext block, so demanding {@code tag(K1) == tag(K2)} is one linear
 * equation in one chosen block over GF(2^128). Test code only: it exists so attack tests can check
 * that our formats do not rely on GCM alone to bind a ciphertext to a single key.
 */
final class GcmTwoKeyCiphertext {

    private static final int BLOCK = 16;
    /** GCM reduction constant R = 11100001 || 0^120 (x^128 + x^7 + x^2 + x + 1, bit-reflected). */
    private static final long R_HI = 0xE100000000000000L;

    private GcmTwoKeyCiphertext() {
    }

    /** Returns ciphertext||tag (16-byte tag) that javax.crypto AES/GCM/NoPadding decrypts without AEADBadTagException
        under BOTH k1 and k2 with the same 12-byte nonce and the same aad. plaintextBlocks >= 2 (16-byte blocks);
        all but one block of the ciphertext are chosen freely (e.g. random or from a given prefix), one block is solved for. */
    static byte[] forge(byte[] k1, byte[] k2, byte[] nonce, byte[] aad, int plaintextBlocks) {
        if (nonce.length != 12) {
            throw new IllegalArgumentException("only 96-bit nonces: J0 = nonce||0^31||1 needs no GHASH of the nonce");
        }
        if (plaintextBlocks < 2) {
            throw new IllegalArgumentException("plaintextBlocks must be >= 2");
        }
        if (Arrays.equals(k1, k2)) {
            throw new IllegalArgumentException("keys must differ");
        }
        int n = plaintextBlocks;
        // Free blocks are random; the last block (index n-1) is the unknown, start it at zero.
        byte[] ct = new byte[n * BLOCK + BLOCK];
        new SecureRandom().nextBytes(ct);
        Arrays.fill(ct, (n - 1) * BLOCK, ct.length, (byte) 0);

        byte[] j0 = Arrays.copyOf(nonce, BLOCK);
        j0[BLOCK - 1] = 1;
        long[] h1 = toLongs(aesBlock(k1, new byte[BLOCK]));
        long[] h2 = toLongs(aesBlock(k2, new byte[BLOCK]));

        // Partial tags with C_{n-1} = 0. Each key's real tag is t_i ^ C_{n-1} * H_i^e.
        long[] t1 = xor(toLongs(aesBlock(k1, j0)), ghash(h1, aad, ct, n));
        long[] t2 = xor(toLongs(aesBlock(k2, j0)), ghash(h2, aad, ct, n));

        // GHASH multiplies block i of m by H^(m-i+1); the last ciphertext block is followed only by
        // the length block, so its exponent is 2. Solve C*(H1^2 ^ H2^2) = t1 ^ t2.
        long[] d = xor(mul(h1, h1), mul(h2, h2));
        if ((d[0] | d[1]) == 0) {
            // Only if H1 == H2 (squaring is injective in GF(2^128)): negligible for distinct keys.
            throw new IllegalStateException("H1 == H2; pick other keys");
        }
        long[] c = mul(xor(t1, t2), inverse(d));
        long[] tag = xor(t1, mul(c, mul(h1, h1)));

        System.arraycopy(toBytes(c), 0, ct, (n - 1) * BLOCK, BLOCK);
        System.arraycopy(toBytes(tag), 0, ct, n * BLOCK, BLOCK);
        return ct;
    }

    /** GHASH_H over padded aad, the first n ciphertext blocks of ct, and the bit-length block. */
    private static long[] ghash(long[] h, byte[] aad, byte[] ct, int n) {
        long[] y = new long[2];
        for (int off = 0; off < aad.length; off += BLOCK) {
            // Copy pads a short final AAD block with zeros, as GCM does.
            byte[] blk = Arrays.copyOfRange(aad, off, off + BLOCK);
            y = mul(xor(y, toLongs(blk)), h);
        }
        for (int i = 0; i < n; i++) {
            y = mul(xor(y, toLongs(Arrays.copyOfRange(ct, i * BLOCK, (i + 1) * BLOCK))), h);
        }
        long[] len = {aad.length * 8L, n * BLOCK * 8L};
        return mul(xor(y, len), h);
    }

    /**
     * GF(2^128) multiply, NIST SP 800-38D Algorithm 1. Element = {bytes 0..7, bytes 8..15} big-endian;
     * the MSB of byte 0 is the x^0 coefficient, hence the right shifts.
     */
    static long[] mul(long[] x, long[] y) {
        long zHi = 0, zLo = 0, vHi = y[0], vLo = y[1];
        for (int i = 0; i < 128; i++) {
            long xBit = i < 64 ? (x[0] >>> (63 - i)) & 1 : (x[1] >>> (127 - i)) & 1;
            if (xBit != 0) {
                zHi ^= vHi;
                zLo ^= vLo;
            }
            boolean carry = (vLo & 1) != 0; // coefficient of x^127 overflows to x^128 on the shift
            vLo = (vLo >>> 1) | (vHi << 63);
            vHi >>>= 1;
            if (carry) {
                vHi ^= R_HI;
            }
        }
        return new long[] {zHi, zLo};
    }

    /** x^(2^128 - 2) = x^-1 (Fermat in GF(2^128)); x must be non-zero. */
    static long[] inverse(long[] x) {
        // Invariant: after k rounds r = x^(2^(k+1) - 1). 126 rounds give x^(2^127 - 1); one squaring doubles it.
        long[] r = x;
        for (int k = 0; k < 126; k++) {
            r = mul(mul(r, r), x);
        }
        return mul(r, r);
    }

    private static byte[] aesBlock(byte[] key, byte[] block) {
        try {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            return ecb.doFinal(block);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] xor(long[] a, long[] b) {
        return new long[] {a[0] ^ b[0], a[1] ^ b[1]};
    }

    private static long[] toLongs(byte[] b) {
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xFF);
            lo = (lo << 8) | (b[i + 8] & 0xFF);
        }
        return new long[] {hi, lo};
    }

    private static byte[] toBytes(long[] v) {
        byte[] b = new byte[BLOCK];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v[0] >>> (56 - 8 * i));
            b[i + 8] = (byte) (v[1] >>> (56 - 8 * i));
        }
        return b;
    }
}
