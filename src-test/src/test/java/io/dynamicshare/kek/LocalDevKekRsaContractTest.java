package io.dynamicshare.kek;

import io.dynamicshare.kek.local.LocalDevKek;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The KEK contract for the development KEK with an RSA-3072 key (RSA-OAEP-256, key transport). */
class LocalDevKekRsaContractTest extends KekContract {
    static final char[] PASSWORD = "contract-password".toCharArray();
    @TempDir
    Path dir;

    @Override
    protected Kek kek() throws Exception {
        return LocalDevKek.create(dir.resolve("kek.p12"), PASSWORD, "contract", algorithm());
    }

    @Override
    protected Kek otherKek() throws Exception {
        return LocalDevKek.create(dir.resolve("other.p12"), PASSWORD, "contract", algorithm());
    }

    @Override
    protected Kek rotate(Kek kek) throws Exception {
        return ((LocalDevKek) kek).rotate(PASSWORD);
    }

    WrapAlgorithm algorithm() {
        return WrapAlgorithm.RSA_OAEP_256;
    }

    @Override
    protected WrapAlgorithm expectedAlgorithm() {
        return algorithm();
    }
}
