package io.dynamicshare.kek.azure;

import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A KEK in Azure Key Vault or Managed HSM, used through {@code azure-security-keyvault-keys}.
 *
 * <ul>
 *   <li>New data keys are wrapped with the newest enabled version (the vault's latest, or if that one is
 *       disabled or expired, the newest usable one), refreshed every {@code azure.versionRefreshSeconds};
 *       a version in the configured URL is ignored: to stop using a version, disable it in the vault.</li>
 *   <li>RSA and RSA-HSM keys wrap locally with the cached public key (RSA-OAEP-256), so {@code setEntry}
 *       makes no vault call in steady state; {@code oct-HSM} keys wrap in the HSM (A256KW).</li>
 *   <li>Unwrap always happens in the vault, with exactly the version the wrapped key names.</li>
 * </ul>
 *
 * <pre>{@code
 * # dynamicshare.properties
 * kek=https://myvault.vault.azure.net/keys/wallet-kek
 * azure.credential=managed-identity
 * }</pre>
 */
public final class AzureKeyVaultKek implements Kek {
    private static final Logger LOG = Logger.getLogger(AzureKeyVaultKek.class.getName());

    private final KeyVaultKeyId key;
    private final AzureClients clients;
    private final KeyClient keyClient;
    private final long refreshNanos;
    private final Map<KekId, CryptographyClient> versions = new ConcurrentHashMap<>();
    private volatile Current current;

    /** The version wrapping now, and how. */
    private static final class Current {
        final KekId id;
        final WrapAlgorithm algorithm;
        /** The RSA public key for local wrapping, or null for keys that wrap in the HSM. */
        final PublicKey publicKey;
        final long resolvedAt = System.nanoTime();

        Current(KekId id, WrapAlgorithm algorithm, PublicKey publicKey) {
            this.id = id;
            this.algorithm = algorithm;
            this.publicKey = publicKey;
        }
    }

    AzureKeyVaultKek(KeyVaultKeyId key, AzureClients clients, long refreshSeconds) {
        this.key = key;
        this.clients = clients;
        this.keyClient = clients.keyClient(key.vaultUrl);
        this.refreshNanos = refreshSeconds * 1_000_000_000L;
    }

    @Override
    public String keyName() {
        return key.keyName();
    }

    /** Asks the vault now (an explicit operation, such as rewrap, deserves the vault's present answer). */
    @Override
    public KekId newestVersion() throws KekException {
        return refresh(true).id;
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) throws KekException {
        KeyWrapCiphers.checkDataKey(dataKey);
        Current c = refresh(false);
        if (c.publicKey != null) {
            try {
                return new WrappedKey(c.id, c.algorithm, KeyWrapCiphers.rsaOaepWrap(c.publicKey, dataKey));
            } catch (GeneralSecurityException e) {
                throw new KekException(c.id.value(), null, "local RSA-OAEP-256 wrap failed", e);
            }
        }
        try {
            byte[] wrapped = crypto(c.id).wrapKey(KeyWrapAlgorithm.A256KW, dataKey).getEncryptedKey();
            return new WrappedKey(c.id, c.algorithm, wrapped);
        } catch (RuntimeException e) {
            throw AzureErrors.map(c.id.value(), "wrapKey", e);
        }
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) throws KekException {
        String id = wrapped.kekId().value();
        if (!id.startsWith(keyName() + "/") || id.indexOf('/', keyName().length() + 1) >= 0) {
            throw new KekException(id, "the wrapped key names a version of another key, not " + keyName());
        }
        KeyWrapAlgorithm alg = wrapped.algorithm() == WrapAlgorithm.RSA_OAEP_256
                ? KeyWrapAlgorithm.RSA_OAEP_256 : KeyWrapAlgorithm.A256KW;
        byte[] key;
        try {
            key = crypto(wrapped.kekId()).unwrapKey(alg, wrapped.bytes()).getKey();
        } catch (RuntimeException e) {
            throw AzureErrors.map(id, "unwrapKey", e);
        }
        if (key == null || key.length != KeyWrapCiphers.DATA_KEY_LENGTH) {
            if (key != null) {
                java.util.Arrays.fill(key, (byte) 0);
            }
            throw new KekException(id, "the vault returned a data key of the wrong length");
        }
        return key;
    }

    private CryptographyClient crypto(KekId version) {
        return versions.computeIfAbsent(version, v -> clients.cryptographyClient(v.value()));
    }

    private Current refresh(boolean force) throws KekException {
        Current c = current;
        if (!force && c != null && System.nanoTime() - c.resolvedAt < refreshNanos) {
            return c;
        }
        synchronized (this) {
            c = current;
            if (!force && c != null && System.nanoTime() - c.resolvedAt < refreshNanos) {
                return c;
            }
            try {
                current = resolve();
                return current;
            } catch (KekException e) {
                if (c == null || force) {
                    throw e;
                }
                // Keep wrapping with the version we know rather than fail every write while the vault is away.
                LOG.warning("DynamicShare: could not refresh the newest version of " + keyName() + "; still using "
                        + c.id + ": " + e.getMessage());
                return c;
            }
        }
    }

    /**
     * The vault's latest version when it is usable (one call); otherwise the newest usable version from the
     * version list, because the latest may have been disabled while older ones still serve.
     */
    private Current resolve() throws KekException {
        KeyVaultKey latest;
        try {
            latest = keyClient.getKey(key.name);
        } catch (RuntimeException e) {
            throw AzureErrors.map(keyName(), "getKey", e);
        }
        if (usable(latest.getProperties(), OffsetDateTime.now())) {
            return current(KekId.of(key.withVersion(latest.getProperties().getVersion())), latest.getKey());
        }
        String version;
        try {
            KeyProperties best = null;
            OffsetDateTime now = OffsetDateTime.now();
            for (KeyProperties p : keyClient.listPropertiesOfKeyVersions(key.name)) {
                if (usable(p, now) && (best == null || created(p).isAfter(created(best)))) {
                    best = p;
                }
            }
            if (best == null) {
                throw new KekException(keyName(), "Forbidden", "the key has no enabled, unexpired version", null);
            }
            version = best.getVersion();
        } catch (RuntimeException e) {
            throw AzureErrors.map(keyName(), "listKeyVersions", e);
        }
        KekId id = KekId.of(key.withVersion(version));
        try {
            return current(id, keyClient.getKey(key.name, version).getKey());
        } catch (RuntimeException e) {
            throw AzureErrors.map(id.value(), "getKey", e);
        }
    }

    private static boolean usable(KeyProperties p, OffsetDateTime now) {
        return Boolean.TRUE.equals(p.isEnabled())
                && (p.getNotBefore() == null || !p.getNotBefore().isAfter(now))
                && (p.getExpiresOn() == null || p.getExpiresOn().isAfter(now));
    }

    private static Current current(KekId id, JsonWebKey jwk) throws KekException {
        KeyType type = jwk.getKeyType();
        if (KeyType.RSA.equals(type) || KeyType.RSA_HSM.equals(type)) {
            return new Current(id, WrapAlgorithm.RSA_OAEP_256, jwk.toRsa(false).getPublic());
        }
        if (KeyType.OCT_HSM.equals(type) || KeyType.OCT.equals(type)) {
            return new Current(id, WrapAlgorithm.AES_KW_256, null);
        }
        throw new KekException(id.value(), "key type " + type + " cannot wrap data keys; use RSA, RSA-HSM or oct-HSM");
    }

    private static OffsetDateTime created(KeyProperties p) {
        return p.getCreatedOn() == null ? OffsetDateTime.MIN : p.getCreatedOn();
    }

    @Override
    public String toString() {
        Current c = current;
        return "AzureKeyVaultKek{" + (c == null ? keyName() : c.id.value()) + "}";
    }
}
