package io.dynamicshare.bench;

import io.dynamicshare.bench.state.PasswordKeyStore;
import io.dynamicshare.bench.state.Pkcs12File;
import io.dynamicshare.bench.state.StoreFile;
import io.dynamicshare.store.DynamicShareKeyStore;
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

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/**
 * {@code load} (which unwraps the store MAC key and verifies the whole-store HMAC-SHA256 before parsing any
 * entry) and {@code store} of {@code entries} wallets of 25 KB, from and to memory, against reading (or
 * writing) the same bytes while SHA-256-hashing them, and against JDK PKCS12 load/store of as many 25 KB
 * secret entries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// Loading 250 MB stores takes the JIT and G1's young-generation sizing several seconds to settle (the first
// loads of a fresh JVM are 2-3x slower and erratic), hence the long warmup.
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class LoadStoreBench {
    @Param({"1000", "10000"})
    public int entries;

    @Benchmark
    public KeyStore dynamicShareLoad(StoreFile f) throws Exception {
        DynamicShareKeyStore ks = f.kek.provider.newKeyStore();
        ks.load(new ByteArrayInputStream(f.bytes), null);
        return ks;
    }

    @Benchmark
    public void dynamicShareStore(StoreFile f) throws Exception {
        f.source.store(OutputStream.nullOutputStream(), null);
    }

    @Benchmark
    public byte[] baselineReadAndSha256(StoreFile f) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new ByteArrayInputStream(f.bytes)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return sha.digest();
    }

    @Benchmark
    public byte[] baselineSha256AndWrite(StoreFile f) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        OutputStream out = OutputStream.nullOutputStream();
        byte[] b = f.bytes;
        for (int off = 0; off < b.length; off += 1 << 16) {
            int n = Math.min(1 << 16, b.length - off);
            sha.update(b, off, n);
            out.write(b, off, n);
        }
        return sha.digest();
    }

    @Benchmark
    public KeyStore pkcs12Load(Pkcs12File f) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(f.bytes), PasswordKeyStore.PASSWORD);
        return ks;
    }

    @Benchmark
    public void pkcs12Store(Pkcs12File f) throws Exception {
        f.source.store(OutputStream.nullOutputStream(), PasswordKeyStore.PASSWORD);
    }
}
