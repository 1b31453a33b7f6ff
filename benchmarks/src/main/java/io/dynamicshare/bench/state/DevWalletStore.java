package io.dynamicshare.bench.state;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.store.DynamicShareKeyStore;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.security.KeyStore;
import java.util.Arrays;
import java.util.Properties;

/**
 * A DynamicShareKeyStore (local development KEK) holding {@link #ENTRIES} wallets of {@code size} bytes, written
 * with setEntry, so every data key is in the cache: reads are warm. Checks that every entry reads back.
 */
@State(Scope.Benchmark)
public class DevWalletStore {
    public static final int ENTRIES = 8;

    public DevKek kek;
    public DynamicShareKeyStore ks;
    public Wallets.Wallet[] wallets;
    public String[] aliases;
    /** Ready-made setEntry inputs (WalletEntry.of copies the arrays once, here). */
    public KeyStore.SecretKeyEntry[] inputs;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        int size = Params.intParam(params, "size");
        kek = new DevKek(configuration());
        ks = kek.provider.newKeyStore();
        ks.load(null, null);
        wallets = new Wallets.Wallet[ENTRIES];
        aliases = new String[ENTRIES];
        inputs = new KeyStore.SecretKeyEntry[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            wallets[i] = Wallets.wallet(size, i);
            aliases[i] = wallets[i].alias();
            inputs[i] = WalletEntry.of(wallets[i].shares(), wallets[i].metadata());
            ks.setEntry(aliases[i], inputs[i], null);
        }
        for (int i = 0; i < ENTRIES; i++) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(aliases[i], null);
            if (!Arrays.equals(e.getSecretKey().getEncoded(), wallets[i].shares())) {
                throw new IllegalStateException("entry " + aliases[i] + " does not read back");
            }
        }
        if (ks.cacheStats().unwrapCalls() != 0) {
            throw new IllegalStateException("setEntry should have primed the data-key cache: " + ks.cacheStats());
        }
    }

    /** Extra configuration keys; the default configuration here. */
    protected Properties configuration() {
        return new Properties();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println("\n[DevWalletStore] cache " + ks.cacheStats() + ", audit events " + kek.audit.events());
        kek.close();
    }
}
