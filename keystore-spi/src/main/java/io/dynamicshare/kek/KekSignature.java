package io.dynamicshare.kek;

import java.util.Objects;

/**
 * A signature made by one exact KEK version (RSASSA-PSS SHA-256, see {@link Kek#sign}). Not secret.
 *
 * <pre>{@code
 * KekSignature s = kek.sign(statement);
 * boolean ok = kek.verify(s.signer(), statement, s.value());
 * }</pre>
 */
public final class KekSignature {
    private final KekId signer;
    private final byte[] value;

    public KekSignature(KekId signer, byte[] value) {
        this.signer = Objects.requireNonNull(signer, "signer");
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("signature is empty (KEK " + signer + ")");
        }
        this.value = value.clone();
    }

    /** The KEK version that signed. */
    public KekId signer() {
        return signer;
    }

    /** A copy of the signature bytes (the RSA modulus length: 256 bytes for RSA-2048, 384 for RSA-3072). */
    public byte[] value() {
        return value.clone();
    }

    @Override
    public String toString() {
        return "KekSignature{PS256 by " + signer + ", " + value.length + " bytes}";
    }
}
