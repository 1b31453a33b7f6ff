package io.dynamicshare.kek.azure;

import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.cryptography.models.SignatureAlgorithm;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.JsonWebKey;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.PssSignatures;
import io.dynamicshare.kek.KeyRefusedException;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;

import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A KEK in Azure Key Vault or Managed HSM, used through {@code azure-security-keyvault-keys}.
 *
 * <ul>
 *   <li>New data keys are wrapped with the version the configuration pins
 *       ({@code kek=https://<vault>/keys/<name>/<version>}), or else with the newest enabled, unexpired version
 *       in the vault's version list, refreshed every {@code azure.versionRefreshSeconds}. The list, not the
 *       vault's "latest", decides: a vault may refuse to return a disabled latest version at all. Versions
 *       created within the same second (Key Vault's resolution) are told apart by the vault's latest.</li>
 *   <li>The key must be {@code RSA}/{@code RSA-HSM} of at least {@value #MIN_RSA_BITS} bits or {@code oct-HSM},
 *       enabled, and permit {@code wrapKey}, {@code unwrapKey} and, for RSA, {@code sign} (RSA keys anchor a
 *       store key by signing it: docs/SECURITY.md). Anything else is refused at open and at every refresh,
 *       before an entry is written. Only a vault that cannot be reached, throttles or fails (5xx) at a refresh
 *       lets writes go on with the version checked before.</li>
 *   <li>RSA keys wrap locally with the cached public key (RSA-OAEP-256), so {@code setEntry} makes no vault
 *       call in steady state; {@code oct-HSM} keys wrap in the HSM (A256KW). Signatures are verified locally
 *       with the public key of the signing version, fetched once.</li>
 *   <li>Unwrap and sign always happen in the vault, with exactly the version named.</li>
 *   <li>Each vault call (getKey, listKeyVersions, wrapKey, unwrapKey, sign) has one deadline,
 *       {@code azure.operationTimeoutSeconds}, that covers token acquisition, retries and {@code Retry-After}.</li>
 * </ul>
 *
 * <pre>{@code
 * # dynamicshare.properties
 * kek=https://myvault.vault.azure.net/keys/wallet-kek
 * azure.credential=managed-identity
 * }</pre>
 */
public final class AzureKeyVaultKek implements Kek {
    private static final Logger LOG = io.dynamicshare.audit.ProviderLoggers.get(AzureKeyVaultKek.class.getName());

    private final KeyVaultKeyId key;
    private final AzureClients clients;
    private final KeyAsyncClient keyClient;
    private final long refreshNanos;
    /** Smallest RSA modulus accepted, in bits (NIST SP 800-57 Part 1: 2048 bits for 112-bit security). */
    static final int MIN_RSA_BITS = 2048;

    private final Map<KekId, CryptographyAsyncClient> versions = new ConcurrentHashMap<>();
    /** Public keys of RSA versions that signed a store key: fetched once each, to verify locally. */
    private final Map<KekId, RSAPublicKey> verifyKeys = new ConcurrentHashMap<>();
    private volatile Current current;

    /** The version wrapping now, and how. */
    private static final class Current {
        final KekId id;
        final WrapAlgorithm algorithm;
        /** The RSA public key for local wrapping, or null for keys that wrap in the HSM. */
        final RSAPublicKey publicKey;
        final long resolvedAt = System.nanoTime();

        Current(KekId id, WrapAlgorithm algorithm, RSAPublicKey publicKey) {
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
        KeyWrapCiphers.checkWrappable(dataKey);
        Current c = refresh(false);
        if (c.publicKey != null) {
            try {
                return new WrappedKey(c.id, c.algorithm, KeyWrapCiphers.rsaOaepWrap(c.publicKey, dataKey));
            } catch (GeneralSecurityException e) {
                throw new KekException(c.id.value(), null, "local RSA-OAEP-256 wrap failed", e);
            }
        }
        byte[] wrapped = clients.call(crypto(c.id).wrapKey(KeyWrapAlgorithm.A256KW, dataKey), "wrapKey", c.id.value())
                .getEncryptedKey();
        return new WrappedKey(c.id, c.algorithm, wrapped);
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) throws KekException {
        String id = wrapped.kekId().value();
        checkOwnVersion(wrapped.kekId());
        KeyWrapAlgorithm alg = wrapped.algorithm() == WrapAlgorithm.RSA_OAEP_256
                ? KeyWrapAlgorithm.RSA_OAEP_256 : KeyWrapAlgorithm.A256KW;
        byte[] key = clients.call(crypto(wrapped.kekId()).unwrapKey(alg, wrapped.bytes()), "unwrapKey", id).getKey();
        try {
            return KeyWrapCiphers.checkUnwrapped(key);
        } catch (GeneralSecurityException e) {
            throw new KekException(id, "the vault returned a key of the wrong length");
        }
    }

    @Override
    public KekSignature sign(byte[] message) throws KekException {
        Current c = refresh(false);
        if (c.publicKey == null) {
            throw new KekException(c.id.value(), "an oct-HSM key does not sign: its key wraps anchor a store by "
                    + "themselves");
        }
        byte[] signature = clients.call(crypto(c.id).sign(SignatureAlgorithm.PS256, PssSignatures.sha256(message)), "sign",
                c.id.value()).getSignature();
        return new KekSignature(c.id, signature);
    }

    @Override
    public boolean verify(KekId signer, byte[] message, byte[] signature) throws KekException {
        checkOwnVersion(signer);
        RSAPublicKey publicKey = verifyKeys.get(signer);
        if (publicKey == null) {
            KeyVaultKey k;
            try {
                k = clients.call(keyClient.getKey(key.name, signer.value().substring(keyName().length() + 1)),
                        "getKey", signer.value());
            } catch (KekException e) {
                if (!(e.getCause() instanceof RuntimeException) || !AzureErrors.refusesTheKey((RuntimeException) e.getCause())) {
                    throw e; // an outage, a deadline, credentials or permissions: the file may be fine
                }
                throw refusedSigner(signer, e.getMessage(), e);
            }
            if (!Boolean.TRUE.equals(k.getProperties().isEnabled())) {
                // A version the vault reports disabled (as after a compromise) vouches for nothing.
                throw refusedSigner(signer, "the version is disabled in the vault", null);
            }
            // Expired, not yet valid, missing an operation: a genuine store can meet these (a rotation policy sets
            // expiry dates), so they stay key-service errors with their remedy, not "forged".
            publicKey = check(signer, k).publicKey;
            if (publicKey == null) {
                throw refusedSigner(signer, "an oct-HSM key version has no signatures to verify", null);
            }
            verifyKeys.put(signer, publicKey);
        }
        try {
            return PssSignatures.verify(publicKey, message, signature);
        } catch (GeneralSecurityException e) {
            throw new KekException(signer.value(), null, "signature check failed", e);
        }
    }

    /**
     * A signer the vault will not vouch for (missing, disabled, not an RSA key with 'sign'): the store key block
     * names it, so the file is refused. The hint matters after a compromise: re-enabling the version would make
     * a forgery signed with it load.
     */
    private static KeyRefusedException refusedSigner(KekId signer, String why, Throwable cause) {
        return new KeyRefusedException(signer.value(), null, "the store key's signer is refused: " + why + ". If this "
                + "version was disabled after a compromise, a file that needs it is forged or older than the response: "
                + "do not re-enable it", cause);
    }

    private void checkOwnVersion(KekId id) throws KekException {
        String v = id.value();
        if (!v.startsWith(keyName() + "/") || v.indexOf('/', keyName().length() + 1) >= 0) {
            throw new KeyRefusedException(v, null, "the id names a version of another key, not " + keyName(), null);
        }
        // Key Vault and Managed HSM versions are 32 hex digits; anything else (a reserved path word such as
        // 'rotationpolicy' or 'versions') would address another endpoint, so it is refused before any call.
        if (!v.substring(keyName().length() + 1).matches("[0-9a-fA-F]{32}")) {
            throw new KeyRefusedException(v, null, "the id's version is not a Key Vault key version (32 hex digits)",
                    null);
        }
    }

    private CryptographyAsyncClient crypto(KekId version) {
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
                // Verification keys are re-read from the vault too, so a version disabled there (after a
                // compromise) stops vouching for store keys within one refresh period.
                verifyKeys.clear();
                return current;
            } catch (KekException e) {
                if (c == null || force || !AzureErrors.isTransient(e)) {
                    // A key that is now disabled, deleted, of the wrong kind or without an operation the store needs
                    // is refused at refresh as at open: wrapping on with the cached public key would write entries
                    // that no later read can open.
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
     * The pinned version, or the newest usable one in the version list (a list call, then one getKey), checked
     * for type, size, state and permitted operations.
     */
    private Current resolve() throws KekException {
        if (key.version != null) {
            return checkVersion(key.version);
        }
        List<KeyProperties> newest = new ArrayList<>();
        List<KeyProperties> listed = clients.call(keyClient.listPropertiesOfKeyVersions(key.name).collectList(),
                "listKeyVersions", keyName());
        OffsetDateTime now = OffsetDateTime.now();
        for (KeyProperties p : listed) {
            if (!usable(p, now)) {
                continue;
            }
            int order = newest.isEmpty() ? 1 : created(p).toInstant().compareTo(created(newest.get(0)).toInstant());
            if (order > 0) {
                newest.clear();
            }
            if (order >= 0) {
                newest.add(p);
            }
        }
        if (newest.isEmpty()) {
            throw new KekException(keyName(), "Forbidden", "the key has no enabled, unexpired version", null);
        }
        return newest.size() == 1 ? checkVersion(newest.get(0).getVersion()) : newestOfTied(newest);
    }

    private Current checkVersion(String version) throws KekException {
        KekId id = KekId.of(key.withVersion(version));
        return check(id, clients.call(keyClient.getKey(key.name, version), "getKey", id.value()));
    }

    /**
     * Key Vault records a version's creation time in whole seconds and lists versions in no useful order (by
     * version id), so versions made within one second tie. The vault's own latest version (a get without a
     * version: one call, as for a single newest version) settles it when it is one of them. When it is not (Key
     * Vault refuses to return a disabled latest version at all), nothing tells the tied versions apart: refused,
     * with the way out, rather than a guess.
     */
    private Current newestOfTied(List<KeyProperties> tied) throws KekException {
        KeyVaultKey latest = null;
        try {
            latest = clients.call(keyClient.getKey(key.name), "getKey", keyName());
        } catch (KekException mapped) {
            if (AzureErrors.isTransient(mapped)) {
                throw mapped;
            }
        }
        String latestVersion = latest == null ? null : latest.getProperties().getVersion();
        List<String> ids = new ArrayList<>();
        for (KeyProperties p : tied) {
            if (p.getVersion().equals(latestVersion)) {
                return check(KekId.of(key.withVersion(latestVersion)), latest);
            }
            ids.add(key.withVersion(p.getVersion()));
        }
        throw new KekException(keyName(), "the key's newest enabled versions " + ids + " were created in the same "
                + "second (" + created(tied.get(0)) + ") and the vault's latest version is none of them, so which one "
                + "is newest cannot be told; pin the one to use in the configuration: kek=" + keyName() + "/<version>");
    }

    private static boolean usable(KeyProperties p, OffsetDateTime now) {
        return Boolean.TRUE.equals(p.isEnabled())
                && (p.getNotBefore() == null || !p.getNotBefore().isAfter(now))
                && (p.getExpiresOn() == null || p.getExpiresOn().isAfter(now));
    }

    /** What the store needs of a key version; refused with the reason and the fix otherwise. */
    private static Current check(KekId id, KeyVaultKey k) throws KekException {
        if (!usable(k.getProperties(), OffsetDateTime.now())) {
            throw new KekException(id.value(), "Forbidden", "the key version is disabled, not yet valid or expired", null);
        }
        JsonWebKey jwk = k.getKey();
        KeyType type = jwk.getKeyType();
        Current c;
        if (KeyType.RSA.equals(type) || KeyType.RSA_HSM.equals(type)) {
            RSAPublicKey pub = (RSAPublicKey) jwk.toRsa(false).getPublic();
            if (pub.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new KekException(id.value(), "the RSA key has " + pub.getModulus().bitLength() + " bits; at least "
                        + MIN_RSA_BITS + " are required");
            }
            c = new Current(id, WrapAlgorithm.RSA_OAEP_256, pub);
        } else if (KeyType.OCT_HSM.equals(type)) {
            c = new Current(id, WrapAlgorithm.AES_KW_256, null);
        } else {
            throw new KekException(id.value(), "key type " + type + " cannot be a KEK here; use RSA or RSA-HSM (2048 bits "
                    + "or more) or oct-HSM");
        }
        List<KeyOperation> ops = jwk.getKeyOps();
        for (KeyOperation needed : c.publicKey != null ? RSA_OPS : AES_OPS) {
            if (ops == null || !ops.contains(needed)) {
                throw new KekException(id.value(), "the key does not permit the '" + needed + "' operation, which the "
                        + "store needs (it permits " + ops + "); add it to the key's permitted operations");
            }
        }
        return c;
    }

    private static final List<KeyOperation> RSA_OPS =
            Arrays.asList(KeyOperation.WRAP_KEY, KeyOperation.UNWRAP_KEY, KeyOperation.SIGN);
    private static final List<KeyOperation> AES_OPS = Arrays.asList(KeyOperation.WRAP_KEY, KeyOperation.UNWRAP_KEY);

    private static OffsetDateTime created(KeyProperties p) {
        return p.getCreatedOn() == null ? OffsetDateTime.MIN : p.getCreatedOn();
    }

    @Override
    public String toString() {
        Current c = current;
        return "AzureKeyVaultKek{" + (c == null ? keyName() : c.id.value()) + "}";
    }
}
