package io.dynamicshare.backend;

import io.dynamicshare.it.DevStores;

/** The contract over PostgreSQL. */
class DatabaseBackendContractTest extends BackendContract {
    @Override
    Target target(DevStores dev) throws Exception {
        return new Target.Database(dev);
    }
}
