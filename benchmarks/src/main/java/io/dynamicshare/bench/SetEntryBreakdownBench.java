package io.dynamicshare.bench;

import io.dynamicshare.bench.state.RsaOaepWrapper;
import io.dynamicshare.bench.state.Wallets;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.metadata.ServerKeyShares;
import io.dynamicshare.metadata.WalletMetadata;
import io.dynamicshare.metadata.WalletValidator;
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

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where a {@code setEntry} goes, piece by piece, through the same public APIs the store calls: validating the
 * wallet (metadata parse and share scan, also measured apart), the RSA-OAEP-256 wrap as the KEK does it, and
 * sealing (binding DER + AES-GCM, with the GCM part alone beside it). Explains the gap between
 * {@link SetEntryBench}'s two scores.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SetEntryBreakdownBench {
    @Param({"25600"})
    public int size;

    private byte[] shares;
    private byte[] metadata;
    private PublicKey rsa2048;
    private DataKey dek;
    private List<WrappedKey> recipients;
    private final byte[] storeId = new byte[16];
    private Cipher gcm;
    private byte[] aad;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Wallets.Wallet w = Wallets.wallet(size, 0);
        shares = w.shares();
        metadata = w.metadata();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa2048 = g.generateKeyPair().getPublic();
        dek = DataKey.generate();
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        aad = new byte[metadata.length + 160];
        byte[] k = dek.getEncoded();
        recipients = Collections.singletonList(new WrappedKey(KekId.of("devkek:bench/v1"),
                WrapAlgorithm.RSA_OAEP_256, KeyWrapCiphers.rsaOaepWrap(rsa2048, k)));
    }

    @Benchmark
    public Object validateWallet() throws Exception {
        WalletMetadata m = WalletMetadata.parse(metadata);
        WalletValidator.validate(m, ServerKeyShares.inspect(shares), false);
        return m;
    }

    /** The shares half of {@link #validateWallet}: the structure scan (25 KB, mostly one hex secretShare). */
    @Benchmark
    public ServerKeyShares inspectShares() throws Exception {
        return ServerKeyShares.inspect(shares);
    }

    /** The metadata half of {@link #validateWallet}. */
    @Benchmark
    public WalletMetadata parseMetadata() throws Exception {
        return WalletMetadata.parse(metadata);
    }

    @Benchmark
    public byte[] rsaOaepWrapAsTheKekDoes() throws Exception {
        byte[] k = dek.getEncoded();
        return KeyWrapCiphers.rsaOaepWrap(rsa2048, k);
    }

    @Benchmark
    public SealedEntry sealBindingAndGcm() throws Exception {
        EntryBinding b = new EntryBinding("0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A", metadata, storeId,
                System.currentTimeMillis(), false, 1);
        return CmsEnvelope.seal(shares, b, dek, recipients);
    }

    /** The GCM part of {@link #sealBindingAndGcm} alone (as the store does it: a data key, a fresh nonce). */
    @Benchmark
    public byte[] gcmEncryptOnly() throws Exception {
        byte[] nonce = new byte[12];
        RsaOaepWrapper.RANDOM.nextBytes(nonce);
        gcm.init(Cipher.ENCRYPT_MODE, dek, new GCMParameterSpec(128, nonce));
        gcm.updateAAD(aad);
        return gcm.doFinal(shares);
    }

    @Benchmark
    public DataKey newDataKey() {
        return DataKey.generate();
    }
}
