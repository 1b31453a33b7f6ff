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

/** The KEK contract plus what an AES KEK adds: it does not sign; its own wraps anchor a store key. */
public abstract class AesKekContract extends KekContract {
    @Override
    protected final WrapAlgorithm expectedAlgorithm() {
        return WrapAlgorithm.AES_KW_256;
    }

    @Test
    void aesKekDoesNotSign() throws Exception {
        Kek kek = kek();
        KekException e = assertThrows(KekException.class, () -> kek.sign(new byte[32]));
        assertNotNull(e.kekId());
        assertThrows(KekException.class, () -> kek.verify(kek.newestVersion(), new byte[32], new byte[256]),
                "nor verifies");
    }
}
