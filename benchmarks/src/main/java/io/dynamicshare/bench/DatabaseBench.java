package io.dynamicshare.bench;

import io.dynamicshare.bench.state.DevWalletStore;
import io.dynamicshare.bench.state.GcmCiphertexts;
import io.dynamicshare.bench.state.JdkGcmCipher;
import io.dynamicshare.bench.state.PostgresWalletStore;
import io.dynamicshare.bench.state.RoundRobin;
import io.dynamicshare.bench.state.Rsa3072OaepWrapper;
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
 *   <li>warm {@code getEntry} (data key cached) against a bare JDBC {@code SELECT} of a copy of the same row, by
 *       (store_id, alias), plus a bare SunJCE AES-256-GCM decrypt of a payload of the same size;</li>
 *   <li>{@code setEntry} (one committed transaction) against a bare JDBC upsert of the same row into the same table
 *       (the storage guide's, same columns and indexes) plus a GCM encrypt and an RSA-OAEP-256 wrap of a fresh key.</li>
 * </ul>
 * Both sides take a connection from a HikariCP pool of the same size; both wrap with RSA-3072 (the local development
 * KEK's size).
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

    /** The store's {@code kek.mode}: hierarchical (the database default: data keys wrapped locally under a branch key)
     * or direct (each data key wrapped by the KEK, RSA-3072 here). */
    @Param({"hierarchical", "direct"})
    public String kekMode;

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
        try (Connection c = store.bare.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT encrypted_key_shares FROM server_wallet_key_shares WHERE store_id = ? AND alias = ?")) {
            s.setObject(1, store.storeId);
            s.setString(2, store.bareAliases[i]);
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
                                                            JdkGcmCipher jdk, Rsa3072OaepWrapper rsa, RoundRobin rr,
                                                            Blackhole bh) throws Exception {
        int i = rr.next(DevWalletStore.ENTRIES);
        byte[] ct = rsa.sealAndWrap(in, jdk, i, bh);
        try (Connection c = store.bare.getConnection(); PreparedStatement s = c.prepareStatement(UPSERT)) {
            s.setObject(1, java.util.UUID.randomUUID());
            s.setObject(2, store.storeId);
            s.setString(3, store.bareAliases[i]);
            s.setString(4, "wallet-" + i);
            s.setString(5, store.aliases[i]);
            s.setBytes(6, ct);
            s.setString(7, "devkek:bench/v1");
            s.setString(8, in.metadataJson[i]);
            s.setBytes(9, ct); // any 32+ bytes: the baseline computes no tag
            s.executeUpdate();
        }
    }

    /** What a hand-written backend on the storage guide's table would run: the same row, the same columns. */
    private static final String UPSERT = "INSERT INTO server_wallet_key_shares (id, store_id, alias, wallet_id, "
            + "account_address, encrypted_key_shares, encryption_key_id, wallet_metadata, entry_tag, key_epoch) VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, 1) ON CONFLICT (store_id, alias) DO UPDATE SET "
            + "wallet_id = EXCLUDED.wallet_id, account_address = EXCLUDED.account_address, "
            + "encrypted_key_shares = EXCLUDED.encrypted_key_shares, encryption_key_id = EXCLUDED.encryption_key_id, "
            + "wallet_metadata = EXCLUDED.wallet_metadata, entry_tag = EXCLUDED.entry_tag, "
            + "row_version = server_wallet_key_shares.row_version + 1, updated_at = now()";
}
