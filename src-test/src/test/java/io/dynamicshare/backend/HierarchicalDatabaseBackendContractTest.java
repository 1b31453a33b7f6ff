package io.dynamicshare.backend;

import io.dynamicshare.it.DevStores;

/**
 * The contract over PostgreSQL in hierarchical mode, the database's default ({@code kek.mode} unset): data keys
 * wrapped under the store's branch key, whose blocks are rows of {@code dynamicshare_branch_key}.
 */
class HierarchicalDatabaseBackendContractTest extends BackendContract {
    @Override
    Target target(DevStores dev) throws Exception {
        return new Target.Database(dev);
    }
}
