package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;

/**
 * The bare-JDK baseline's inputs: {@link DevWalletStore#ENTRIES} payloads of {@code size} bytes, each
 * AES-256-GCM encrypted under its own key and nonce, with an AAD of about the size the product's authenticated
 * attributes have (the walletMetadata JSON plus 160 bytes for alias, store id, OIDs and DER headers).
 */
@State(Scope.Benchmark)
public class GcmCiphertexts {
    public static final int AAD_OVERHEAD = 160;

    public byte[][] plaintexts;
    public byte[][] keyBytes;
    public SecretKeySpec[] keys;
    public byte[][] nonces;
    public byte[][] aads;
    /** Each payload's walletMetadata JSON, as text (what a database row's jsonb column holds). */
    public String[] metadataJson;
    public byte[][] ciphertexts;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        int size = Params.intParam(params, "size");
        int n = DevWalletStore.ENTRIES;
        SecureRandom rnd = new SecureRandom();
        plaintexts = new byte[n][];
        keyBytes = new byte[n][];
        keys = new SecretKeySpec[n];
        nonces = new byte[n][];
        aads = new byte[n][];
        ciphertexts = new byte[n][];
        metadataJson = new String[n];
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        for (int i = 0; i < n; i++) {
            Wallets.Wallet w = Wallets.wallet(size, i);
            plaintexts[i] = w.shares();
            metadataJson[i] = new String(w.metadata(), java.nio.charset.StandardCharsets.UTF_8);
            keyBytes[i] = new byte[32];
            rnd.nextBytes(keyBytes[i]);
            keys[i] = new SecretKeySpec(keyBytes[i], "AES");
            nonces[i] = new byte[12];
            rnd.nextBytes(nonces[i]);
            aads[i] = new byte[w.metadata().length + AAD_OVERHEAD];
            System.arraycopy(w.metadata(), 0, aads[i], 0, w.metadata().length);
            c.init(Cipher.ENCRYPT_MODE, keys[i], new GCMParameterSpec(128, nonces[i]));
            c.updateAAD(aads[i]);
            ciphertexts[i] = c.doFinal(plaintexts[i]);
        }
    }
}
