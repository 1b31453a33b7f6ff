package io.dynamicshare.bench.state;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.security.KeyStore;

/** BouncyCastle's BCFKS with its defaults, from a provider instance that is not registered globally. */
@State(Scope.Benchmark)
public class BcfksSecrets extends PasswordKeyStore {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    @Override
    protected KeyStore newKeyStore() throws Exception {
        return KeyStore.getInstance("BCFKS", BC);
    }
}
