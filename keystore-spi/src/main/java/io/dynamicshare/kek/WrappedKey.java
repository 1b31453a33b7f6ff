package io.dynamicshare.kek;

import java.util.Arrays;
import java.util.Objects;

/**
 * A data key encrypted under one exact KEK version. Not secret: safe to store and log (the bytes are
 * never printed all the same; they mean nothing to a reader).
 */
public final class WrappedKey {
    private final KekId kekId;
    private final WrapAlgorithm algorithm;
    private final byte[] bytes;

    public WrappedKey(KekId kekId, WrapAlgorithm algorithm, byte[] bytes) {
        this.kekId = Objects.requireNonNull(kekId, "kekId");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("wrapped key bytes are empty (KEK " + kekId + ")");
        }
        this.bytes = bytes.clone();
    }

    /** The exact KEK version that wrapped the data key. */
    public KekId kekId() {
        return kekId;
    }

    public WrapAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the wrapped bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Length of the wrapped bytes, without copying them. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WrappedKey)) {
            return false;
        }
        WrappedKey w = (WrappedKey) o;
        return kekId.equals(w.kekId) && algorithm == w.algorithm && Arrays.equals(bytes, w.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * kekId.hashCode() + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "WrappedKey{" + algorithm.jwaName() + " by " + kekId + ", " + bytes.length + " bytes}";
    }
}
