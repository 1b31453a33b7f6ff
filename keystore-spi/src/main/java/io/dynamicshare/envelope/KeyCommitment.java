package io.dynamicshare.envelope;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Key commitment: {@code HMAC-SHA256(key, label)}, 32 bytes, recorded beside what a key protects so that
 * only one key can ever open it. AES-GCM alone is not key-committing (Dodis et al., "Fast Message Franking",
 * CRYPTO 2018; Len et al., "Partitioning Oracle Attacks", USENIX Security 2021): without this, an entry
 * whose recipients hold two different keys could open to two different plaintexts.
 *
 * <pre>{@code
 * byte[] c = KeyCommitment.of(dataKeyBytes, KeyCommitment.DATA_KEY);    // written into the entry
 * KeyCommitment.check(unwrapped, KeyCommitment.DATA_KEY, c, "entry");    // before any decryption
 * }</pre>
 */
public final class KeyCommitment {
    /** Commitment length in bytes. */
    public static final int LENGTH = 32;
    /** Label of a data key's commitment (docs/FORMAT.md). */
    public static final byte[] DATA_KEY = label("DynamicShareKeyStore/2 data key commitment");
    /** Label of a store key's commitment (docs/FORMAT.md). */
    public static final byte[] STORE_KEY = label("DynamicShareKeyStore/2 store key commitment");

    private KeyCommitment() {
    }

    /** The commitment of {@code key} (32 bytes) under {@code label}. */
    public static byte[] of(byte[] key, byte[] label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // SecretKeySpec copies the key; the copy is left to the collector like every JCE key object.
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a mandatory JCA algorithm", e);
        }
    }

    /**
     * Checks, in constant time, that {@code key} is the key {@code commitment} commits to.
     *
     * @throws KeyCommitmentException naming {@code what} when it is not
     */
    public static void check(byte[] key, byte[] label, byte[] commitment, String what) throws KeyCommitmentException {
        byte[] actual = of(key, label);
        boolean ok = MessageDigest.isEqual(actual, commitment);
        Arrays.fill(actual, (byte) 0);
        if (!ok) {
            throw new KeyCommitmentException("the unwrapped key is not the one the " + what
                    + " commits to: its recipients hold different keys");
        }
    }

    private static byte[] label(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
