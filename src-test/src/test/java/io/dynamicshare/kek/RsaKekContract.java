package io.dynamicshare.kek;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The KEK contract plus what an RSA KEK adds: it signs (PS256), which is how it anchors a store key. */
public abstract class RsaKekContract extends KekContract {
    @Override
    protected final WrapAlgorithm expectedAlgorithm() {
        return WrapAlgorithm.RSA_OAEP_256;
    }

    @Test
    void rsaSignatureVerifiesForItsMessageOnly() throws Exception {
        Kek kek = kek();
        byte[] message = new byte[300];
        new SecureRandom().nextBytes(message);
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
}
