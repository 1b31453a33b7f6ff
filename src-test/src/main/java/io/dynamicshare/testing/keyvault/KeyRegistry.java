package io.dynamicshare.testing.keyvault;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * The vault's content: every key with all of its versions, plus the soft-deleted keys.
 *
 * <p>Key names are case-insensitive in Key Vault, so entries are indexed by the lower-cased name while the name
 * given at creation is kept for identifiers. Key material is generated outside any lock (RSA generation is slow);
 * only the append of the new version is synchronized per key.
 */
final class KeyRegistry {

    static final Set<String> RSA_TYPES = Set.of("RSA", "RSA-HSM");
    static final Set<String> OCT_TYPES = Set.of("oct", "oct-HSM");
    static final List<String> RSA_DEFAULT_OPS =
            List.of("encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey");
    static final List<String> OCT_DEFAULT_OPS = List.of("encrypt", "decrypt", "wrapKey", "unwrapKey");
    private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");

    /** All versions of one key, oldest first. */
    static final class KeyEntry {
        final String name;
        final List<KeyVersion> versions = new ArrayList<>();

        KeyEntry(String name) {
            this.name = name;
        }

        synchronized KeyVersion latest() {
            return versions.get(versions.size() - 1);
        }

        synchronized List<KeyVersion> all() {
            return List.copyOf(versions);
        }

        synchronized KeyVersion find(String version) {
            for (KeyVersion v : versions) {
                if (v.version.equalsIgnoreCase(version)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** A soft-deleted key: its versions plus the deletion timestamps. */
    record Deleted(KeyEntry entry, long deletedDate, long scheduledPurgeDate) {
    }

    /** Parameters of a create request, already validated for shape. */
    record CreateSpec(String kty, Integer keySize, List<String> keyOps, Boolean enabled,
                      Map<String, String> tags, Long notBefore, Long expires) {
    }

    private final Map<String, KeyEntry> active = new ConcurrentHashMap<>();
    private final Map<String, Deleted> deleted = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw VaultError.badParameter("The request URI contains an invalid name: " + name);
        }
    }

    private static String id(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Creates a new key, or a new version of an existing key (that is how Key Vault rotates). */
    KeyVersion create(String name, CreateSpec spec) {
        validateName(name);
        if (deleted.containsKey(id(name))) {
            throw new VaultError(409, "Conflict", "Key " + name
                    + " is currently in a deleted but recoverable state, and its name cannot be reused;"
                    + " in this state, the key can only be recovered or purged.", "ObjectIsDeletedButRecoverable");
        }
        String kty = spec.kty();
        int size;
        KeyPair rsa = null;
        SecretKey secret = null;
        List<String> ops = spec.keyOps();
        if (RSA_TYPES.contains(kty)) {
            size = spec.keySize() == null ? 2048 : spec.keySize();
            if (size != 2048 && size != 3072 && size != 4096) {
                throw VaultError.badParameter("The specified RSA key size is not supported: " + size);
            }
            rsa = generateRsa(size);
            ops = ops == null ? RSA_DEFAULT_OPS : ops;
        } else if (OCT_TYPES.contains(kty)) {
            size = spec.keySize() == null ? 256 : spec.keySize();
            if (size != 128 && size != 192 && size != 256) {
                throw VaultError.badParameter("The specified oct key size is not supported: " + size);
            }
            secret = generateAes(size);
            ops = ops == null ? OCT_DEFAULT_OPS : ops;
        } else {
            throw VaultError.badParameter("The specified key type is not supported by this test double: " + kty);
        }
        String version = UUID.randomUUID().toString().replace("-", "");
        long now = System.currentTimeMillis() / 1000;
        boolean enabled = spec.enabled() == null || spec.enabled();
        KeyEntry existing = active.get(id(name));
        String displayName = existing == null ? name : existing.name;
        KeyVersion v = new KeyVersion(displayName, version, kty, size, rsa, secret, now, enabled, ops, spec.tags(),
                spec.notBefore(), spec.expires());
        // compute() publishes the entry only together with its first version, so readers never see an empty key.
        active.compute(id(name), (k, e) -> {
            KeyEntry target = e == null ? new KeyEntry(displayName) : e;
            synchronized (target) {
                target.versions.add(v);
            }
            return target;
        });
        return v;
    }

    /** Newest version of {@code name}, or 404 {@code KeyNotFound}. */
    KeyVersion latest(String name) {
        return entry(name).latest();
    }

    /** A specific version; an empty/null version means the newest one, as in the REST API. */
    KeyVersion get(String name, String version) {
        if (version == null || version.isEmpty()) {
            return latest(name);
        }
        KeyVersion v = entry(name).find(version);
        if (v == null) {
            throw VaultError.keyVersionNotFound(name, version);
        }
        return v;
    }

    List<KeyVersion> versions(String name) {
        return entry(name).all();
    }

    /** Newest version of every active key, for {@code GET /keys}. */
    List<KeyVersion> latestOfEach() {
        List<KeyVersion> out = new ArrayList<>();
        for (KeyEntry e : active.values()) {
            out.add(e.latest());
        }
        out.sort((a, b) -> a.name.compareToIgnoreCase(b.name));
        return out;
    }

    /** Soft-deletes every version of {@code name}. */
    Deleted delete(String name) {
        KeyEntry e = active.remove(id(name));
        if (e == null) {
            throw VaultError.keyNotFound(name);
        }
        long now = System.currentTimeMillis() / 1000;
        Deleted d = new Deleted(e, now, now + 90L * 24 * 3600);
        deleted.put(id(name), d);
        return d;
    }

    Deleted deleted(String name) {
        Deleted d = deleted.get(id(name));
        if (d == null) {
            throw new VaultError(404, "KeyNotFound", "Deleted Key not found: " + name);
        }
        return d;
    }

    void purge(String name) {
        if (deleted.remove(id(name)) == null) {
            throw new VaultError(404, "KeyNotFound", "Deleted Key not found: " + name);
        }
    }

    private KeyEntry entry(String name) {
        KeyEntry e = active.get(id(name));
        if (e == null) {
            throw VaultError.keyNotFound(name);
        }
        return e;
    }

    private KeyPair generateRsa(int bits) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation failed", e);
        }
    }

    private SecretKey generateAes(int bits) {
        try {
            KeyGenerator gen = KeyGenerator.getInstance("AES");
            gen.init(bits, random);
            return gen.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key generation failed", e);
        }
    }
}
