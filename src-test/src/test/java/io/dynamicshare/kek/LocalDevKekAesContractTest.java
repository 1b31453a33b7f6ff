package io.dynamicshare.kek;

/** The KEK contract for the development KEK with an AES-256 key (A256KW, KEK recipient). */
class LocalDevKekAesContractTest extends LocalDevKekRsaContractTest {
    @Override
    WrapAlgorithm algorithm() {
        return WrapAlgorithm.AES_KW_256;
    }
}
