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
     * Wraps a 32-byte data key with the newest usable version of this key.
     *
     * @param dataKey the data key; not modified or retained
     * @throws KekException if the key service refuses or cannot be reached
     */
    WrappedKey wrap(byte[] dataKey) throws KekException;

    /**
     * Unwraps with exactly the version {@code wrapped} names.
     *
     * @return a new array holding the data key; the caller zeroes it
     * @throws KekException if the version is unknown, disabled or not this key's, or the bytes were altered
     */
    byte[] unwrap(WrappedKey wrapped) throws KekException;
}
