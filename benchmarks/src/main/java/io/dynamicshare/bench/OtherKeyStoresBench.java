package io.dynamicshare.bench;

import io.dynamicshare.bench.state.BcfksSecrets;
import io.dynamicshare.bench.state.DevWalletStore;
import io.dynamicshare.bench.state.Pkcs12Secrets;
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

import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

/**
 * {@code getEntry} and {@code setEntry} of a secret of {@code size} bytes: DynamicShareKeyStore (local
 * development KEK, RSA-3072; reads warm) against the JDK's PKCS12 and BouncyCastle's BCFKS, whose default
 * password-based entry protection runs a PBKDF2 on every read and write.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OtherKeyStoresBench {
    @Param({"2048", "25600"})
    public int size;

    @Benchmark
    public KeyStore.Entry dynamicShareGetEntry(DevWalletStore s, RoundRobin rr) throws Exception {
        return s.ks.getEntry(s.aliases[rr.next(DevWalletStore.ENTRIES)], null);
    }

    @Benchmark
    public void dynamicShareSetEntry(DevWalletStore s, RoundRobin rr) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        s.ks.setEntry(s.aliases[i], s.inputs[i], null);
    }

    @Benchmark
    public KeyStore.Entry pkcs12GetEntry(Pkcs12Secrets s, RoundRobin rr) throws Exception {
        return s.ks.getEntry(s.aliases[rr.next(DevWalletStore.ENTRIES)], s.protection);
    }

    @Benchmark
    public void pkcs12SetEntry(Pkcs12Secrets s, RoundRobin rr) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        s.ks.setEntry(s.aliases[i], s.inputs[i], s.protection);
    }

    @Benchmark
    public KeyStore.Entry bcfksGetEntry(BcfksSecrets s, RoundRobin rr) throws Exception {
        return s.ks.getEntry(s.aliases[rr.next(DevWalletStore.ENTRIES)], s.protection);
    }

    @Benchmark
    public void bcfksSetEntry(BcfksSecrets s, RoundRobin rr) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        s.ks.setEntry(s.aliases[i], s.inputs[i], s.protection);
    }
}
