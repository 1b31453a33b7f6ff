package io.dynamicshare.bench;

import io.dynamicshare.bench.state.DevWalletStore;
import io.dynamicshare.bench.state.GcmCiphertexts;
import io.dynamicshare.bench.state.JdkGcmCipher;
import io.dynamicshare.bench.state.PostgresWalletStore;
import io.dynamicshare.bench.state.RoundRobin;
import io.dynamicshare.bench.state.RsaOaepWrapper;
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

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL store's hot path against the bare work it cannot avoid, on the same server, in the same run:
 * <ul>
 *   <li>warm {@code getEntry} (data key cached) against a bare JDBC {@code SELECT} of the same bytes by primary key
 *       plus a bare SunJCE AES-256-GCM decrypt of a payload of the same size;</li>
 *   <li>{@code setEntry} (one committed transaction) against a bare JDBC upsert of the same bytes plus a GCM
 *       encrypt and an RSA-OAEP-256 wrap of a fresh key.</li>
 * </ul>
 * Both sides take a connection from a HikariCP pool of the same size. The KEK is the local development KEK
 * (RSA-3072) on the product's side and an RSA-2048 key on the baseline's: the baseline wrap is the cheaper one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DatabaseBench {
    /** Shares JSON size in bytes: 1 KB Ed25519 2-of-2, 25 KB ECDSA 2-of-2. */
    @Param({"1024", "25600"})
    public int size;

    @Benchmark
    public KeyStore.Entry databaseGetEntry(PostgresWalletStore store, RoundRobin rr) throws Exception {
        KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) store.ks.getEntry(
                store.aliases[rr.next(DevWalletStore.ENTRIES)], null);
        e.getSecretKey().destroy();
        return e;
    }

    @Benchmark
    public byte[] baselineSelectPlusGcmDecrypt(PostgresWalletStore store, GcmCiphertexts in, JdkGcmCipher jdk,
                                               RoundRobin rr, Blackhole bh) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        try (Connection c = store.bare.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT body FROM bench_rows WHERE alias = ?")) {
            s.setString(1, store.aliases[i]);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                bh.consume(r.getBytes(1));
            }
        }
        Cipher cipher = jdk.cipher;
        cipher.init(Cipher.DECRYPT_MODE, in.keys[i], new GCMParameterSpec(128, in.nonces[i]));
        cipher.updateAAD(in.aads[i]);
        return cipher.doFinal(in.ciphertexts[i]);
    }

    @Benchmark
    public void databaseSetEntry(PostgresWalletStore store, RoundRobin rr) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        store.ks.setEntry(store.aliases[i], store.inputs[i], null);
    }

    @Benchmark
    public void baselineUpsertPlusGcmEncryptPlusRsaOaepWrap(PostgresWalletStore store, GcmCiphertexts in,
                                                            JdkGcmCipher jdk, RsaOaepWrapper rsa, RoundRobin rr,
                                                            Blackhole bh) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        byte[] ct = rsa.sealAndWrap(in, jdk, i, bh);
        try (Connection c = store.bare.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO bench_rows (alias, body) VALUES (?, ?) ON CONFLICT (alias) DO UPDATE SET body = "
                        + "excluded.body")) {
            s.setString(1, store.aliases[i]);
            s.setBytes(2, ct);
            s.executeUpdate();
        }
    }
}
