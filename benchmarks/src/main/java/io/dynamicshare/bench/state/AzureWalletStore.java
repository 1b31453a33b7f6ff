package io.dynamicshare.bench.state;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.envelope.DataKey;
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
 * A DynamicShareKeyStore whose KEK is an RSA-2048 key in the Key Vault test double, holding
 * {@link DevWalletStore#ENTRIES} wallets of {@code size} bytes. If the benchmark class declares a
 * {@code latencyMs} param, that latency is injected into every vault request once the store is set up; if
 * it declares {@code cachedKeys}, that many keys of other (dummy) entries are put into the data-key cache; if it
 * declares {@code kekMode}, that is the configuration's {@code kek.mode} ({@code direct} otherwise).
 */
@State(Scope.Benchmark)
public class AzureWalletStore {
    public AzureKek kek;
    public DynamicShareKeyStore ks;
    public Wallets.Wallet[] wallets;
    public String[] aliases;
    public KeyStore.SecretKeyEntry[] inputs;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        int size = Params.intParam(params, "size");
        String mode = params.getParam("kekMode");
        kek = newKek(AzureKek.kekMode(mode == null ? "direct" : mode));
        ks = kek.provider.newKeyStore();
        ks.load(null, null);
        int n = DevWalletStore.ENTRIES;
        wallets = new Wallets.Wallet[n];
        aliases = new String[n];
        inputs = new KeyStore.SecretKeyEntry[n];
        for (int i = 0; i < n; i++) {
            wallets[i] = Wallets.wallet(size, i);
            aliases[i] = wallets[i].alias();
            inputs[i] = WalletEntry.of(wallets[i].shares(), wallets[i].metadata());
            ks.setEntry(aliases[i], inputs[i], null);
        }
        // Cold read once: proves the vault unwraps what the local RSA-OAEP-256 wrap produced.
        kek.context.cache().clear();
        for (int i = 0; i < n; i++) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(aliases[i], null);
            if (!Arrays.equals(e.getSecretKey().getEncoded(), wallets[i].shares())) {
                throw new IllegalStateException("entry " + aliases[i] + " does not read back");
            }
        }
        String cachedKeys = params.getParam("cachedKeys");
        if (cachedKeys != null) {
            DataKey someKey = DataKey.generate();
            for (int i = Integer.parseInt(cachedKeys); i > 0; i--) {
                kek.context.cache().prime(new Object(), someKey); // other entries' keys
            }
        }
        String latency = params.getParam("latencyMs");
        if (latency != null) {
            kek.vault.faults().latency(Long.parseLong(latency));
        }
        kek.vault.resetCounters();
    }

    /** The KEK and configuration, with {@code extra} (its {@code kek.mode}); a subclass adds to it. */
    protected AzureKek newKek(Properties extra) throws Exception {
        return new AzureKek(2048, extra);
    }

    /** Every request the vault has answered since the last reset, all operations together. */
    public long vaultCalls() {
        long sum = 0;
        for (long c : kek.vault.callCounts().values()) {
            sum += c;
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println("\n[AzureWalletStore] vault calls since setup " + kek.vault.callCounts() + ", cache "
                + ks.cacheStats());
        kek.close();
    }
}
