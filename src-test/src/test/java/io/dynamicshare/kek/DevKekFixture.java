package io.dynamicshare.kek;

import io.dynamicshare.kek.local.LocalDevKek;

import java.nio.file.Path;

/** The development KEKs the contract tests run against: one file per key, one password. */
final class DevKekFixture {
    static final char[] PASSWORD = "contract-password".toCharArray();

    private DevKekFixture() {
    }

    static Kek create(Path dir, String file, WrapAlgorithm algorithm) throws KekException {
        return LocalDevKek.create(dir.resolve(file), PASSWORD, "contract", algorithm);
    }

    static Kek rotate(Kek kek) throws KekException {
        return ((LocalDevKek) kek).rotate(PASSWORD);
    }
}
