package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.util.Arrays;

/**
 * A password-based KeyStore holding {@link DevWalletStore#ENTRIES} secret-key entries whose key bytes are the
 * same shares JSON the DynamicShare benchmarks store ({@code SecretKeySpec(shares, "HmacSHA256")}), protected
 * with the store's default password-based protection. Stored and loaded once, as a real file would be.
 */
public abstract class PasswordKeyStore {
    public static final char[] PASSWORD = "bench-store-password".toCharArray();

    public KeyStore ks;
    public String[] aliases;
    public KeyStore.SecretKeyEntry[] inputs;
    public KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(PASSWORD);

    protected abstract KeyStore newKeyStore() throws Exception;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        int size = Params.intParam(params, "size");
        int n = DevWalletStore.ENTRIES;
        KeyStore fresh = newKeyStore();
        fresh.load(null, PASSWORD);
        aliases = new String[n];
        inputs = new KeyStore.SecretKeyEntry[n];
        for (int i = 0; i < n; i++) {
            Wallets.Wallet w = Wallets.wallet(size, i);
            aliases[i] = w.alias();
            inputs[i] = new KeyStore.SecretKeyEntry(new SecretKeySpec(w.shares(), "HmacSHA256"));
            fresh.setEntry(aliases[i], inputs[i], protection);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fresh.store(out, PASSWORD);
        ks = newKeyStore();
        ks.load(new ByteArrayInputStream(out.toByteArray()), PASSWORD);
        for (int i = 0; i < n; i++) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(aliases[i], protection);
            if (!Arrays.equals(e.getSecretKey().getEncoded(), inputs[i].getSecretKey().getEncoded())) {
                throw new IllegalStateException(ks.getType() + " entry " + aliases[i] + " does not read back");
            }
        }
    }
}
