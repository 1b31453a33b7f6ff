package io.dynamicshare.cache;

/**
 * A snapshot of the data-key cache counters.
 *
 * <pre>{@code
 * CacheStats s = provider.dataKeyCacheStats();
 * double hitRate = s.hits() / (double) (s.hits() + s.misses());
 * }</pre>
 */
public final class CacheStats {
    private final long hits;
    private final long misses;
    private final long unwrapCalls;
    private final long errors;
    private final long evictions;
    private final int size;

    public CacheStats(long hits, long misses, long unwrapCalls, long errors, long evictions, int size) {
        this.hits = hits;
        this.misses = misses;
        this.unwrapCalls = unwrapCalls;
        this.errors = errors;
        this.evictions = evictions;
        this.size = size;
    }

    /** Reads served by a cached data key. */
    public long hits() {
        return hits;
    }

    /** Reads that found no usable cached key. */
    public long misses() {
        return misses;
    }

    /** Calls made to the KEK to unwrap a data key (concurrent misses of one entry share one call). */
    public long unwrapCalls() {
        return unwrapCalls;
    }

    /** Unwrap calls that failed. */
    public long errors() {
        return errors;
    }

    /** Keys dropped (and zeroed) for size or age. */
    public long evictions() {
        return evictions;
    }

    /** Keys cached now. */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "hits=" + hits + " misses=" + misses + " unwrapCalls=" + unwrapCalls + " errors=" + errors
                + " evictions=" + evictions + " size=" + size;
    }
}
