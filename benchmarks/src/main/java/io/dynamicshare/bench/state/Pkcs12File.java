package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.KeyStore;

/**
 * A JDK PKCS12 store of {@code entries} secret-key entries of 25 KB (same payloads as {@link StoreFile}) and
 * its bytes. Setup writes the entries with a PBKDF2 iteration count of 1 (system property
 * {@code keystore.pkcs12.keyPbeIterationCount}) because the per-entry key derivation runs only in
 * getEntry/setEntry, never in load or store; the store's MAC keeps its default iteration count.
 */
@State(Scope.Benchmark)
public class Pkcs12File {
    public KeyStore source;
    public byte[] bytes;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        int entries = Params.intParam(params, "entries");
        String previous = System.setProperty("keystore.pkcs12.keyPbeIterationCount", "1");
        try {
            source = KeyStore.getInstance("PKCS12");
            source.load(null, PasswordKeyStore.PASSWORD);
            KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(PasswordKeyStore.PASSWORD);
            KeyStore.SecretKeyEntry[] inputs = new KeyStore.SecretKeyEntry[8];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = new KeyStore.SecretKeyEntry(
                        new SecretKeySpec(Wallets.wallet(StoreFile.ENTRY_SIZE, i).shares(), "HmacSHA256"));
            }
            for (int i = 0; i < entries; i++) {
                source.setEntry(StoreFile.alias(i), inputs[i % inputs.length], protection);
            }
        } finally {
            if (previous == null) {
                System.clearProperty("keystore.pkcs12.keyPbeIterationCount");
            } else {
                System.setProperty("keystore.pkcs12.keyPbeIterationCount", previous);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries * (StoreFile.ENTRY_SIZE + 2048));
        source.store(out, PasswordKeyStore.PASSWORD);
        bytes = out.toByteArray();
        KeyStore check = KeyStore.getInstance("PKCS12");
        check.load(new ByteArrayInputStream(bytes), PasswordKeyStore.PASSWORD);
        if (check.size() != entries) {
            throw new IllegalStateException("PKCS12 loaded " + check.size() + " entries, wrote " + entries);
        }
        System.out.printf("%n[Pkcs12File] %d entries, %.1f MB%n", entries, bytes.length / 1e6);
    }
}
