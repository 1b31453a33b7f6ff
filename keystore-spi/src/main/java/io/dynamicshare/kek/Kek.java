package io.dynamicshare.kek;

/**
 * A key-encryption key in a key service: the one seam between the store's cryptography and the place
 * where the KEK lives (a local development file, Azure Key Vault, ...).
 *
 * <p>A {@code Kek} stands for a key <em>name</em>; the service may hold several versions of it. New data
 * keys are wrapped with the newest usable version, and every {@link WrappedKey} names the exact version,
 * which {@link #unwrap} then uses. Implementations are thread-safe.
 *
 * <pre>{@code
 * WrappedKey wrapped = kek.wrap(dataKey);      // dataKey: 32 bytes
 * byte[] again = kek.unwrap(wrapped);           // caller zeroes 'again' when done
 * }</pre>
 *
 * <p>Every implementation must pass the shared KEK contract test suite.
 */
public interface Kek {

    /** The key this object stands for, without a version: the reference a configuration names. */
    String keyName();

    /**
     * The version {@link #wrap} uses now: the newest enabled one.
     *
     * @throws KekException if the key service cannot say
     */
    KekId newestVersion() throws KekException;

    /**
     * Wraps key material with the newest usable version of this key: a 32-byte data key, or a 64-byte store
     * key block (the store key and its purpose tag, docs/FORMAT.md), so that neither can pass for the other.
     *
     * @param key 32 or 64 bytes ({@link KeyWrapCiphers#checkWrappable}); not modified or retained
     * @throws IllegalArgumentException for any other length
     * @throws KekException if the key service refuses or cannot be reached
     */
    WrappedKey wrap(byte[] key) throws KekException;

    /**
     * Unwraps with exactly the version {@code wrapped} names.
     *
     * @return a new array holding what was wrapped (32 or 64 bytes); the caller checks the length it expects
     *         and zeroes the array
     * @throws KekException if the version is unknown, disabled or not this key's, or the bytes were altered
     */
    byte[] unwrap(WrappedKey wrapped) throws KekException;

    /**
     * Signs a statement with the version {@link #wrap} uses now: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a
     * 32-byte salt (RFC 8017 section 8.1; Key Vault's {@code PS256}). This is how an RSA KEK anchors a store
     * key, since anyone can wrap with its public key. AES KEKs do not sign: their wraps are their own anchor.
     *
     * @param message the statement (a few hundred bytes); hashed here with SHA-256
     * @throws KekException if the key is an AES key, lacks the {@code sign} operation, or the service fails
     */
    KekSignature sign(byte[] message) throws KekException;

    /**
     * Verifies a {@link #sign} signature locally, with the public key of exactly {@code signer} (fetched once
     * from the key service and kept).
     *
     * @return true when the signature is valid for {@code message}
     * @throws KekException if {@code signer} is not a version of this key or its public key cannot be had
     */
    boolean verify(KekId signer, byte[] message, byte[] signature) throws KekException;
}
