package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.security.KeyStore;

/** The JDK's PKCS12 (defaults: PBEWithHmacSHA256AndAES_256, 10,000 PBKDF2 iterations per entry on JDK 17). */
@State(Scope.Benchmark)
public class Pkcs12Secrets extends PasswordKeyStore {
    @Override
    protected KeyStore newKeyStore() throws Exception {
        return KeyStore.getInstance("PKCS12");
    }
}
