package io.dynamicshare.azure;

import io.dynamicshare.kek.WrapAlgorithm;

/** The KEK contract for a Managed HSM {@code oct-HSM} key: A256KW in the HSM, KEK recipient info. */
class AzureOctHsmKekContractTest extends AzureKekContractTest {
    @Override
    String createKey(String name) {
        return vault.createOctHsmKey(name);
    }

    @Override
    String prefix() {
        return "contract-oct";
    }

    @Override
    protected WrapAlgorithm expectedAlgorithm() {
        return WrapAlgorithm.AES_KW_256;
    }
}
