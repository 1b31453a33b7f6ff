package io.dynamicshare.store;

import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekResolver;
import io.dynamicshare.kek.WrappedKey;

import java.util.List;

/** Unwraps a data key with whichever of its recipients' KEKs answers first. */
final class Unwrapping {
    private Unwrapping() {
    }

    /** @return the data key bytes; the caller owns and zeroes them */
    static byte[] unwrapAny(List<WrappedKey> recipients, KekResolver resolver) throws KekException {
        KekException last = null;
        for (WrappedKey w : recipients) {
            try {
                return resolver.resolve(w.kekId().value()).unwrap(w);
            } catch (KekException e) {
                last = e;
            }
        }
        throw last;
    }
}
