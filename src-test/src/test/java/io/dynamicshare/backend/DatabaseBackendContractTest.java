package io.dynamicshare.backend;

import io.dynamicshare.it.DevStores;

import java.util.Properties;

/** The contract over PostgreSQL in direct mode (each data key wrapped by the KEK). */
class DatabaseBackendContractTest extends BackendContract {
    @Override
    Target target(DevStores dev) throws Exception {
        return new Target.Database(dev);
    }

    @Override
    Properties config() {
        Properties p = new Properties();
        p.setProperty("kek.mode", "direct");
        return p;
    }
}
