package io.dynamicshare.kek.azure;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.ConfiguredKekResolver;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;

/**
 * Opens Key Vault keys for {@code https://} references; one set of clients (transport, credential) per
 * configuration, shared by every key.
 */
public final class AzureKeyService implements ConfiguredKekResolver.KeyService {
    private volatile AzureClients clients;

    @Override
    public Kek open(String reference, StoreConfig config) throws KekException {
        KeyVaultKeyId id;
        try {
            id = KeyVaultKeyId.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new KekException(reference, e.getMessage());
        }
        try {
            return new AzureKeyVaultKek(id, clients(config),
                    AzureOptions.integer(config, "azure.versionRefreshSeconds", 300, 0, 86_400));
        } catch (ConfigException e) {
            throw new KekException(reference, null, e.getMessage(), e);
        }
    }

    @Override
    public String keyName(String reference) {
        try {
            return KeyVaultKeyId.parse(reference).keyName();
        } catch (IllegalArgumentException e) {
            return reference;
        }
    }

    private AzureClients clients(StoreConfig config) throws ConfigException {
        AzureClients c = clients;
        if (c == null) {
            synchronized (this) {
                c = clients;
                if (c == null) {
                    c = new AzureClients(config);
                    clients = c;
                }
            }
        }
        return c;
    }
}
