package io.dynamicshare.store;

import io.dynamicshare.config.ConfiguredKekResolver;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.azure.AzureKeyService;

/** The key services this build knows, registered on a resolver. */
final class KeyServices {
    private KeyServices() {
    }

    static ConfiguredKekResolver resolverFor(StoreConfig config) {
        return new ConfiguredKekResolver(config).register("https", new AzureKeyService());
    }
}
