package io.dynamicshare.store;

/**
 * Where a store stands: its generation (a file's; 0 for a database, whose rows are written through), the
 * container format read (2 for a database) and a short description for audit lines.
 */
public final class StoreStanding {
    final long generation;
    final int formatRead;
    final String description;

    public StoreStanding(long generation, int formatRead, String description) {
        this.generation = generation;
        this.formatRead = formatRead;
        this.description = description;
    }

    @Override
    public String toString() {
        return description;
    }
}
