package io.dynamicshare.bench;

import io.dynamicshare.bench.state.ApplicationActorWalletStore;
import io.dynamicshare.bench.state.BcGcmCipher;
import io.dynamicshare.bench.state.DevWalletStore;
import io.dynamicshare.bench.state.GcmCiphertexts;
import io.dynamicshare.bench.state.JdkGcmCipher;
import io.dynamicshare.bench.state.RoundRobin;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
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

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * Warm {@code getEntry} (data key cached) against decrypting the same number of bytes with bare SunJCE
 * AES-256-GCM (per-entry key, per-thread Cipher, init + updateAAD + doFinal), and BouncyCastle's pure-Java GCM
 * for reference. Each operation reads the next of 8 entries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class WarmGetEntryBench {
    /** Shares JSON size in bytes: 1 KB Ed25519 2-of-2, 25 KB ECDSA 2-of-2, 100 KB ECDSA 3-of-5 (three shares). */
    @Param({"1024", "25600", "102400"})
    public int size;

    @Benchmark
    public KeyStore.Entry dynamicShareGetEntry(DevWalletStore store, RoundRobin rr) throws Exception {
        return store.ks.getEntry(store.aliases[rr.next(DevWalletStore.ENTRIES)], null);
    }

    /** The same read with {@code audit.actor=application}: no per-read Subject lookup (a stack walk on JDK <= 17). */
    @Benchmark
    public KeyStore.Entry dynamicShareGetEntryApplicationActor(ApplicationActorWalletStore store, RoundRobin rr)
            throws Exception {
        return store.ks.getEntry(store.aliases[rr.next(DevWalletStore.ENTRIES)], null);
    }

    @Benchmark
    public byte[] baselineJdkGcmDecrypt(GcmCiphertexts in, JdkGcmCipher jdk, RoundRobin rr)
            throws GeneralSecurityException {
        int i = rr.next(DevWalletStore.ENTRIES);
        Cipher c = jdk.cipher;
        c.init(Cipher.DECRYPT_MODE, in.keys[i], new GCMParameterSpec(128, in.nonces[i]));
        c.updateAAD(in.aads[i]);
        return c.doFinal(in.ciphertexts[i]);
    }

    @Benchmark
    public byte[] referenceBcLightweightGcmDecrypt(GcmCiphertexts in, BcGcmCipher bc, RoundRobin rr)
            throws InvalidCipherTextException {
        int i = rr.next(DevWalletStore.ENTRIES);
        GCMModeCipher c = bc.cipher;
        c.init(false, new AEADParameters(new KeyParameter(in.keyBytes[i]), 128, in.nonces[i], in.aads[i]));
        byte[] ct = in.ciphertexts[i];
        byte[] out = new byte[c.getOutputSize(ct.length)];
        int n = c.processBytes(ct, 0, ct.length, out, 0);
        c.doFinal(out, n);
        return out;
    }
}
