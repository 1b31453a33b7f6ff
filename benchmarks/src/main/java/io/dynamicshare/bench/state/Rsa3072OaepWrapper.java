package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** {@link RsaOaepWrapper} with RSA-3072: the size of the local development KEK the database benchmarks use. */
@State(Scope.Thread)
public class Rsa3072OaepWrapper extends RsaOaepWrapper {
    @Override
    protected int bits() {
        return 3072;
    }
}
