package io.dynamicshare.store;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

/**
 * Loads a store from a file, and stores it back atomically: a temporary file in the same directory,
 * fsync, then rename over the old file, so a failed or interrupted store leaves the old file intact.
 *
 * <pre>{@code
 * KeyStore ks = KeyStore.getInstance("DynamicShareKeyStore");
 * ks.load(FileStoreParameter.of(Paths.get("wallets.dsks")));
 * ...
 * ks.store(FileStoreParameter.of(Paths.get("wallets.dsks")));
 * }</pre>
 */
public final class FileStoreParameter implements KeyStore.LoadStoreParameter {
    private final Path file;

    private FileStoreParameter(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public static FileStoreParameter of(Path file) {
        return new FileStoreParameter(file);
    }

    public Path file() {
        return file;
    }

    /** None: the store is protected by its KEK, not by a password. */
    @Override
    public KeyStore.ProtectionParameter getProtectionParameter() {
        return null;
    }

    @Override
    public String toString() {
        return "FileStoreParameter{" + file + "}";
    }
}
