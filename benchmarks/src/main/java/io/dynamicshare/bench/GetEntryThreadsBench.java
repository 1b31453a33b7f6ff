package io.dynamicshare.bench;

import io.dynamicshare.bench.state.DevWalletStore;
import io.dynamicshare.bench.state.GcmCiphertexts;
import io.dynamicshare.bench.state.JdkGcmCipher;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of warm {@code getEntry} from one and from two threads sharing one store (each thread walks the
 * 8 entries from its own cursor), with the bare SunJCE GCM decrypt at 1 and 2 threads as the scaling the
 * hardware allows. The 2-thread score is the sum over both threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GetEntryThreadsBench {
    @Param({"1024", "25600"})
    public int size;

    @Benchmark
    @Threads(1)
    public KeyStore.Entry getEntry1Thread(DevWalletStore store, RoundRobin rr) throws Exception {
        return store.ks.getEntry(store.aliases[rr.next(DevWalletStore.ENTRIES)], null);
    }

    @Benchmark
    @Threads(2)
    public KeyStore.Entry getEntry2Threads(DevWalletStore store, RoundRobin rr) throws Exception {
        return store.ks.getEntry(store.aliases[rr.next(DevWalletStore.ENTRIES)], null);
    }

    @Benchmark
    @Threads(1)
    public byte[] baselineGcmDecrypt1Thread(GcmCiphertexts in, JdkGcmCipher jdk, RoundRobin rr) throws Exception {
        return decrypt(in, jdk, rr);
    }

    @Benchmark
    @Threads(2)
    public byte[] baselineGcmDecrypt2Threads(GcmCiphertexts in, JdkGcmCipher jdk, RoundRobin rr) throws Exception {
        return decrypt(in, jdk, rr);
    }

    private static byte[] decrypt(GcmCiphertexts in, JdkGcmCipher jdk, RoundRobin rr) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        Cipher c = jdk.cipher;
        c.init(Cipher.DECRYPT_MODE, in.keys[i], new GCMParameterSpec(128, in.nonces[i]));
        c.updateAAD(in.aads[i]);
        return c.doFinal(in.ciphertexts[i]);
    }
}
