package io.dynamicshare.store;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;

/**
 * Loads a store from a file, and stores it back atomically: a temporary file in the same directory,
 * fsync, then rename over the old file, so a failed or interrupted store leaves the old file intact. Many
 * processes may share the file: a store holds an OS lock on {@code <file>.lock} while it checks and writes,
 * and refuses ({@link StoreConflictException}) to overwrite a file another writer stored since this KeyStore
 * loaded it, so no acknowledged write is ever lost (last writer does not silently win).
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
    private final long minGeneration;
    private final boolean overwrite;

    private FileStoreParameter(Path file, long minGeneration, boolean overwrite) {
        this.file = Objects.requireNonNull(file, "file");
        this.minGeneration = minGeneration;
        this.overwrite = overwrite;
    }

    public static FileStoreParameter of(Path file) {
        return new FileStoreParameter(file, 0, false);
    }

    /**
     * The same file, stored even if another writer changed it since this KeyStore loaded it (their write is
     * lost). Without it, {@code store} refuses with {@link StoreConflictException}, and also refuses to replace
     * an existing file with a store created by {@code load(null, null)}.
     */
    public FileStoreParameter overwrite() {
        return new FileStoreParameter(file, minGeneration, true);
    }

    /** True when {@link #overwrite()} was asked for. */
    public boolean overwrites() {
        return overwrite;
    }

    /**
     * The same file, loaded only if its generation is at least {@code generation}: a file older than that was
     * rolled back and {@code load} throws {@link StoreRollbackException}. Pass the last generation the
     * application saw ({@link KekInventory#generation()}), kept where the store's writers cannot reach.
     *
     * @param generation 0 (accept any) or more
     * @throws IllegalArgumentException if negative
     */
    public FileStoreParameter minGeneration(long generation) {
        if (generation < 0) {
            throw new IllegalArgumentException("a generation is 0 or more, got " + generation);
        }
        return new FileStoreParameter(file, generation, overwrite);
    }

    public Path file() {
        return file;
    }

    /** The lowest generation {@code load} accepts; 0 accepts any. */
    public long minGeneration() {
        return minGeneration;
    }

    /** None: the store is protected by its KEK, not by a password. */
    @Override
    public KeyStore.ProtectionParameter getProtectionParameter() {
        return null;
    }

    @Override
    public String toString() {
        return "FileStoreParameter{" + file + (minGeneration > 0 ? ", minGeneration " + minGeneration : "") + "}";
    }
}
