package io.dynamicshare.store;

import java.io.IOException;

/**
 * {@code store} refused to overwrite a file that changed since this KeyStore loaded (or last stored) it:
 * another process or KeyStore stored it in between, and writing now would silently drop that write. Reload
 * the file, apply the change again and store; or, to replace the file regardless, store with
 * {@link FileStoreParameter#overwrite()}.
 */
public final class StoreConflictException extends IOException {
    private static final long serialVersionUID = 1L;

    public StoreConflictException(String message) {
        super(message);
    }
}
