package io.dynamicshare.store;

/**
 * The file is genuine but older than the caller accepts: its generation is below the
 * {@link FileStoreParameter#minGeneration} given to {@code load}. Someone may have put back an old copy
 * (docs/SECURITY.md, "Rollback is visible").
 */
public final class StoreRollbackException extends StoreIntegrityException {
    private static final long serialVersionUID = 1L;
    private final long generation;

    public StoreRollbackException(long generation, long minGeneration) {
        super("the store is at generation " + generation + ", older than the lowest acceptable generation "
                + minGeneration + ": an old copy of the store may have been put back");
        this.generation = generation;
    }

    /** The generation the refused file carries. */
    public long generation() {
        return generation;
    }
}
