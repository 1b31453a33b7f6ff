package io.dynamicshare.bench;

import io.dynamicshare.cache.DataKeyCache;
import io.dynamicshare.envelope.DataKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The data-key cache's bookkeeping on the write path: {@code setEntry} invalidates the old entry's key and
 * primes the new one, in a cache already holding {@code cached} keys (the default bound is 10,000). The same
 * bookkeeping runs after every cold read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CacheBookkeepingBench {
    @Param({"100", "10000"})
    public int cached;

    private DataKeyCache cache;
    private Object[] entries;
    private int next;
    private final DataKey key = DataKey.generate();

    @Setup(Level.Trial)
    public void setUp() {
        cache = new DataKeyCache(10_000, 300_000);
        entries = new Object[cached];
        for (int i = 0; i < cached; i++) {
            entries[i] = new Object();
            cache.prime(entries[i], key);
        }
    }

    @Benchmark
    public void replaceOneEntrysKey() {
        int i = next;
        next = i + 1 == cached ? 0 : i + 1;
        Object fresh = new Object();
        cache.invalidate(entries[i]);
        entries[i] = fresh;
        cache.prime(fresh, key);
    }
}
