package io.dynamicshare.bench;

import io.dynamicshare.bench.state.AzureEscrowWalletStore;
import io.dynamicshare.bench.state.AzureWalletStore;
import io.dynamicshare.bench.state.DevWalletStore;
import io.dynamicshare.bench.state.GcmCiphertexts;
import io.dynamicshare.bench.state.JdkGcmCipher;
import io.dynamicshare.bench.state.RoundRobin;
import io.dynamicshare.bench.state.RsaOaepWrapper;
import io.dynamicshare.bench.state.VaultCalls;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * {@code setEntry} with an RSA-2048 Azure Key Vault KEK (the Key Vault test double; RSA keys wrap locally with
 * the cached public key, so steady-state writes make no vault call, which {@code vaultCalls} shows) against
 * the bare cryptography a write needs: a fresh 32-byte key and nonce, SunJCE AES-256-GCM encrypt of the same
 * bytes with a similar AAD, and an RSA-OAEP-256 (SHA-256/MGF1-SHA-256) wrap of the key with the JDK.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dsun.net.httpserver.nodelay=true"})
public class SetEntryBench {
    @Param({"1024", "25600", "102400"})
    public int size;

    /** {@code direct}: RSA-OAEP-256 wrap with the cached public key; {@code hierarchical}: HKDF + AES key wrap. */
    @Param({"direct", "hierarchical"})
    public String kekMode;

    @Benchmark
    public void dynamicShareSetEntry(AzureWalletStore store, RoundRobin rr, VaultCalls calls) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        store.ks.setEntry(store.aliases[i], store.inputs[i], null);
        calls.ops++;
    }

    /**
     * The same write with an escrow recipient (an RSA-3072 OAEP wrap of the data key, local): its cost. No vault
     * call either (AzureEscrowTest counts them: 0 per setEntry in steady state).
     */
    @Benchmark
    public void dynamicShareSetEntryWithEscrow(AzureEscrowWalletStore store, RoundRobin rr) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        store.ks.setEntry(store.aliases[i], store.inputs[i], null);
    }

    @Benchmark
    public byte[] baselineGcmEncryptPlusRsaOaepWrap(GcmCiphertexts in, JdkGcmCipher jdk, RsaOaepWrapper rsa,
                                                     RoundRobin rr, Blackhole bh) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        return rsa.sealAndWrap(in, jdk, i, bh);
    }
}
