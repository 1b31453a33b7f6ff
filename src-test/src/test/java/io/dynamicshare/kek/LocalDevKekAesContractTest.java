package io.dynamicshare.kek;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The KEK contract for the development KEK with an AES-256 key (A256KW, KEK recipient). */
class LocalDevKekAesContractTest extends AesKekContract {
    @TempDir
    Path dir;

    @Override
    protected Kek kek() throws Exception {
        return DevKekFixture.create(dir, "kek.p12", WrapAlgorithm.AES_KW_256);
    }

    @Override
    protected Kek otherKek() throws Exception {
        return DevKekFixture.create(dir, "other.p12", WrapAlgorithm.AES_KW_256);
    }

    @Override
    protected Kek rotate(Kek kek) throws Exception {
        return DevKekFixture.rotate(kek);
    }
}
