package io.dynamicshare.bench;

import io.dynamicshare.bench.state.AzureWalletStore;
import io.dynamicshare.bench.state.DevWalletStore;
import io.dynamicshare.bench.state.RoundRobin;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@code setEntry} (RSA-2048 Azure KEK, as in {@link SetEntryBench}) while the data-key cache is full: it
 * already holds {@code cachedKeys} other keys (10,000 is the default bound), so every write also evicts one.
 * Compare with {@link SetEntryBench} at the same size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dsun.net.httpserver.nodelay=true"})
public class SetEntryFullCacheBench {
    @Param({"25600"})
    public int size;

    /** Keys of other entries already in the cache (AzureWalletStore primes them). */
    @Param({"10000"})
    public int cachedKeys;

    @Benchmark
    public void dynamicShareSetEntry(AzureWalletStore store, RoundRobin rr) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        store.ks.setEntry(store.aliases[i], store.inputs[i], null);
    }
}
