package io.dynamicshare.kek;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The KEK contract for the development KEK with an RSA-3072 key (RSA-OAEP-256, key transport; PS256). */
class LocalDevKekRsaContractTest extends RsaKekContract {
    @TempDir
    Path dir;

    @Override
    protected Kek kek() throws Exception {
        return DevKekFixture.create(dir, "kek.p12", WrapAlgorithm.RSA_OAEP_256);
    }

    @Override
    protected Kek otherKek() throws Exception {
        return DevKekFixture.create(dir, "other.p12", WrapAlgorithm.RSA_OAEP_256);
    }

    @Override
    protected Kek rotate(Kek kek) throws Exception {
        return DevKekFixture.rotate(kek);
    }
}
