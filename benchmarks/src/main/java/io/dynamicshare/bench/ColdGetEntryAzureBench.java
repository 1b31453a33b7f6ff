package io.dynamicshare.bench;

import io.dynamicshare.bench.state.AzureWalletStore;
import io.dynamicshare.bench.state.DevWalletStore;
import io.dynamicshare.bench.state.RoundRobin;
import io.dynamicshare.bench.state.VaultCalls;
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

import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * {@code getEntry} through an Azure Key Vault KEK (RSA-2048 in the Key Vault test double over HTTPS on
 * 127.0.0.1, every request delayed by {@code latencyMs}): cold (the data-key cache is cleared before every
 * operation, so each read unwraps its data key: in the vault in direct mode, locally under the cached branch key in
 * hierarchical mode) and warm (cached; no vault call). {@code vaultCalls / ops}
 * is the number of vault requests per read.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The JDK HttpServer under the Key Vault test double leaves Nagle on by default, which with the client's delayed
// ACKs adds about 40 ms to every response; a real vault does not, so it is switched off for the double.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dsun.net.httpserver.nodelay=true"})
public class ColdGetEntryAzureBench {
    @Param({"25600"})
    public int size;

    /**
     * {@code direct}: each data key is wrapped by the vault key (a cold read is one vault unwrap);
     * {@code hierarchical}: under the store's branch key, unwrapped once at setup (a cold read is local).
     */
    @Param({"direct", "hierarchical"})
    public String kekMode;

    /** Injected into every Key Vault request; 0 shows the cost of the round trip itself. */
    @Param({"0", "20"})
    public int latencyMs;

    /** Clears the data-key cache before each cold read (not measured). */
    @State(Scope.Thread)
    public static class ColdCache {
        @Setup(Level.Invocation)
        public void clear(AzureWalletStore store) {
            store.kek.context.cache().clear();
        }
    }

    @Benchmark
    public KeyStore.Entry coldGetEntry(AzureWalletStore store, ColdCache cold, RoundRobin rr, VaultCalls calls)
            throws Exception {
        KeyStore.Entry e = store.ks.getEntry(store.aliases[rr.next(DevWalletStore.ENTRIES)], null);
        calls.ops++;
        return e;
    }

    @Benchmark
    public KeyStore.Entry warmGetEntry(AzureWalletStore store, RoundRobin rr, VaultCalls calls) throws Exception {
        KeyStore.Entry e = store.ks.getEntry(store.aliases[rr.next(DevWalletStore.ENTRIES)], null);
        calls.ops++;
        return e;
    }
}
