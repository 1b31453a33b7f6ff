package io.dynamicshare.backend;

import io.dynamicshare.it.DevStores;

/** The contract over the file container. */
class FileBackendContractTest extends BackendContract {
    @Override
    Target target(DevStores dev) {
        return new Target.File(dev);
    }
}
