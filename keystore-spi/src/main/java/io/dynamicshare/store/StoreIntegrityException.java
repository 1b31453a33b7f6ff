package io.dynamicshare.store;

import java.io.IOException;

/**
 * The store file itself is bad: its integrity tag does not verify, it is truncated or corrupt, or an
 * entry is malformed or bound to another alias or store. Nothing in it is trusted. Distinct from a plain
 * {@link IOException} whose cause is a key-service failure (the file may be fine; the KEK was not
 * reachable).
 *
 * <pre>{@code
 * try {
 *     ks.load(FileStoreParameter.of(file));
 * } catch (StoreIntegrityException e) {
 *     // restore the last good backup
 * }
 * }</pre>
 */
public class StoreIntegrityException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreIntegrityException(String message) {
        super(message);
    }

    public StoreIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
