package io.dynamicshare.kek.local;

import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.PssSignatures;
import io.dynamicshare.kek.KeyRefusedException;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * A development KEK: an RSA-3072 or AES-256 key in a password-protected local PKCS12 file.
 * <strong>Not for production</strong>: the key sits on the same disk as the store. It logs a warning
 * saying so when opened.
 *
 * <p>Key ids are {@code devkek:<name>/v<n>}; the newest version wraps, any version unwraps.
 *
 * <pre>{@code
 * LocalDevKek kek = LocalDevKek.create(Paths.get("dev-kek.p12"), password, "quickstart", WrapAlgorithm.RSA_OAEP_256);
 * WrappedKey w = kek.wrap(dataKey);   // w.kekId() is devkek:quickstart/v1
 * }</pre>
 */
public final class LocalDevKek implements Kek {
    /** URI scheme of development KEK ids. */
    public static final String SCHEME = "devkek";
    private static final Logger LOG = io.dynamicshare.audit.ProviderLoggers.get(LocalDevKek.class.getName());

    private final Path file;
    private final String name;
    private final Map<KekId, Version> versions;
    private final KekId newest;

    /** One key version: the key that unwraps, and the key that wraps (the public key for RSA). */
    private static final class Version {
        final Key unwrapKey;
        final Key wrapKey;
        final WrapAlgorithm algorithm;

        Version(Key unwrapKey, Key wrapKey) {
            this.unwrapKey = unwrapKey;
            this.wrapKey = wrapKey;
            this.algorithm = unwrapKey instanceof PrivateKey ? WrapAlgorithm.RSA_OAEP_256 : WrapAlgorithm.AES_KW_256;
        }
    }

    private LocalDevKek(Path file, String name, Map<KekId, Version> versions, KekId newest) {
        this.file = file;
        this.name = name;
        this.versions = versions;
        this.newest = newest;
        LOG.warning("DynamicShare: using the LOCAL DEVELOPMENT KEK " + keyName() + " from " + file
                + ". It is NOT for production: the key-encryption key sits in a local file. Configure an "
                + "Azure Key Vault key (kek=https://<vault>/keys/<name>) for real wallets.");
    }

    /** Creates a new key file holding version {@code v1} of {@code name}. Fails if the file exists. */
    public static LocalDevKek create(Path file, char[] password, String name, WrapAlgorithm algorithm)
            throws KekException {
        checkName(name);
        if (Files.exists(file)) {
            throw new KekException(SCHEME + ":" + name, "the development KEK file " + file + " already exists");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            DevKeyFile.addVersion(ks, name, 1, algorithm, password);
            DevKeyFile.save(ks, file, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new KekException(SCHEME + ":" + name, null, "cannot create the development KEK file " + file, e);
        }
        return open(file, password);
    }

    /** Opens an existing key file. The key name is the one its versions were created under. */
    public static LocalDevKek open(Path file, char[] password) throws KekException {
        try {
            KeyStore ks = DevKeyFile.load(file, password);
            Map<KekId, Version> versions = new HashMap<>();
            String name = null;
            int newestN = 0;
            for (String alias : Collections.list(ks.aliases())) {
                int slash = alias.lastIndexOf("/v");
                if (slash <= 0) {
                    continue;
                }
                String aliasName = alias.substring(0, slash);
                if (name != null && !name.equals(aliasName)) {
                    throw new KekException(SCHEME + ":" + name, "the development KEK file " + file
                            + " holds more than one key name");
                }
                name = aliasName;
                int n = Integer.parseInt(alias.substring(slash + 2));
                Key key = ks.getKey(alias, password);
                versions.put(KekId.of(SCHEME + ":" + alias), new Version(key,
                        key instanceof PrivateKey ? ks.getCertificate(alias).getPublicKey() : key));
                newestN = Math.max(newestN, n);
            }
            if (name == null) {
                throw new KekException(SCHEME + ":?", "the development KEK file " + file + " holds no key");
            }
            return new LocalDevKek(file, name, Collections.unmodifiableMap(versions),
                    KekId.of(SCHEME + ":" + name + "/v" + newestN));
        } catch (IOException | GeneralSecurityException | NumberFormatException e) {
            if (e instanceof KekException) {
                throw (KekException) e;
            }
            throw new KekException(SCHEME + ":?", null, "cannot open the development KEK file " + file
                    + " (wrong password or not a development KEK file)", e);
        }
    }

    /**
     * The same key, wrapping and signing with exactly {@code version} (a version pinned in {@code kek=}).
     *
     * @throws KekException if the file has no such version
     */
    public LocalDevKek pinnedTo(KekId version) throws KekException {
        if (!versions.containsKey(version)) {
            throw new KekException(version.value(), "KeyNotFound", "the pinned version is not in the development "
                    + "KEK file " + file, null);
        }
        return new LocalDevKek(file, name, versions, version);
    }

    /** Adds a newer version of the key to the file and returns a KEK that wraps with it. */
    public LocalDevKek rotate(char[] password) throws KekException {
        try {
            KeyStore ks = DevKeyFile.load(file, password);
            int next = Integer.parseInt(newest.value().substring(newest.value().lastIndexOf("/v") + 2)) + 1;
            DevKeyFile.addVersion(ks, name, next, versions.get(newest).algorithm, password);
            DevKeyFile.save(ks, file, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new KekException(keyName(), null, "cannot add a version to the development KEK file " + file, e);
        }
        return open(file, password);
    }

    @Override
    public String keyName() {
        return SCHEME + ":" + name;
    }

    @Override
    public KekId newestVersion() {
        return newest;
    }

    @Override
    public WrappedKey wrap(byte[] dataKey) throws KekException {
        KeyWrapCiphers.checkWrappable(dataKey);
        Version v = versions.get(newest);
        try {
            byte[] wrapped = v.algorithm == WrapAlgorithm.AES_KW_256
                    ? KeyWrapCiphers.aesKeyWrap(v.wrapKey, dataKey)
                    : KeyWrapCiphers.rsaOaepWrap((PublicKey) v.wrapKey, dataKey);
            return new WrappedKey(newest, v.algorithm, wrapped);
        } catch (GeneralSecurityException e) {
            throw new KekException(newest.value(), null, "wrap failed", e);
        }
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped) throws KekException {
        Version v = versions.get(wrapped.kekId());
        if (v == null) {
            // The stored id names no version of this key: the stored bytes are wrong (or the version is gone).
            throw new KeyRefusedException(wrapped.kekId().value(), "KeyNotFound",
                    "this development KEK (" + keyName() + " in " + file + ") has no such version", null);
        }
        if (v.algorithm != wrapped.algorithm()) {
            // A recipient labelled with another algorithm than the key's: bad stored bytes, as with a vault's 400.
            throw new KeyRefusedException(wrapped.kekId().value(), null, "the wrapped key says "
                    + wrapped.algorithm().jwaName() + " but this KEK version uses " + v.algorithm.jwaName(), null);
        }
        try {
            return v.algorithm == WrapAlgorithm.AES_KW_256
                    ? KeyWrapCiphers.aesKeyUnwrap(v.unwrapKey, wrapped.bytes())
                    : KeyWrapCiphers.rsaOaepUnwrap((PrivateKey) v.unwrapKey, wrapped.bytes());
        } catch (GeneralSecurityException e) {
            // The JCE's message says nothing secret, but the cause chain is dropped all the same.
            throw new KeyRefusedException(wrapped.kekId().value(), null, "unwrap failed: the wrapped key was "
                    + "altered or was wrapped by another key", null);
        }
    }

    @Override
    public KekSignature sign(byte[] message) throws KekException {
        Version v = versions.get(newest);
        if (!(v.unwrapKey instanceof PrivateKey)) {
            throw new KekException(newest.value(), "an AES development KEK does not sign: its key wraps anchor a "
                    + "store by themselves");
        }
        try {
            return new KekSignature(newest, PssSignatures.sign((PrivateKey) v.unwrapKey, message));
        } catch (GeneralSecurityException e) {
            throw new KekException(newest.value(), null, "sign failed", e);
        }
    }

    @Override
    public boolean verify(KekId signer, byte[] message, byte[] signature) throws KekException {
        Version v = versions.get(signer);
        if (v == null) {
            throw new KeyRefusedException(signer.value(), "KeyNotFound",
                    "this development KEK (" + keyName() + " in " + file + ") has no such version", null);
        }
        if (!(v.wrapKey instanceof RSAPublicKey)) {
            throw new KeyRefusedException(signer.value(), null, "an AES development KEK version has no signatures to "
                    + "verify", null);
        }
        try {
            return PssSignatures.verify((RSAPublicKey) v.wrapKey, message, signature);
        } catch (GeneralSecurityException e) {
            throw new KekException(signer.value(), null, "signature check failed", e);
        }
    }

    private static void checkName(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("a development KEK name is 1-63 lowercase letters, digits, '.', '_' "
                    + "or '-': " + name);
        }
    }

    @Override
    public String toString() {
        return "LocalDevKek{" + newest + " in " + file + "}";
    }
}
