package io.dynamicshare.bench.state;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.store.DynamicShareKeyStore;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;

/**
 * A DynamicShareKeyStore (local development KEK) of {@code entries} wallets of 25 KB, and its file's bytes in
 * memory. Wallets repeat 8 share payloads under distinct aliases; every entry still has its own data key,
 * nonce and ciphertext.
 */
@State(Scope.Benchmark)
public class StoreFile {
    public static final int ENTRY_SIZE = 25600;

    public DevKek kek;
    public DynamicShareKeyStore source;
    public byte[] bytes;
    public int entries;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        entries = Params.intParam(params, "entries");
        kek = new DevKek();
        source = kek.provider.newKeyStore();
        source.load(null, null);
        KeyStore.SecretKeyEntry[] inputs = new KeyStore.SecretKeyEntry[8];
        for (int i = 0; i < inputs.length; i++) {
            Wallets.Wallet w = Wallets.wallet(ENTRY_SIZE, i);
            inputs[i] = WalletEntry.of(w.shares(), w.metadata());
        }
        for (int i = 0; i < entries; i++) {
            source.setEntry(alias(i), inputs[i % inputs.length], null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries * (ENTRY_SIZE + 2048));
        source.store(out, null);
        bytes = out.toByteArray();
        KeyStore check = kek.provider.newKeyStore();
        check.load(new ByteArrayInputStream(bytes), null);
        if (check.size() != entries) {
            throw new IllegalStateException("loaded " + check.size() + " entries, wrote " + entries);
        }
        System.out.printf("%n[StoreFile] %d entries, %.1f MB%n", entries, bytes.length / 1e6);
    }

    public static String alias(int i) {
        return String.format("0x%040x", i);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        kek.close();
    }
}
