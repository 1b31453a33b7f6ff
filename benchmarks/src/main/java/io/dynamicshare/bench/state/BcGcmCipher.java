package io.dynamicshare.bench.state;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** One BouncyCastle lightweight GCM (no JCA) per thread: a pure-Java reference point. */
@State(Scope.Thread)
public class BcGcmCipher {
    public GCMModeCipher cipher;

    @Setup(Level.Trial)
    public void setUp() {
        cipher = GCMBlockCipher.newInstance(AESEngine.newInstance());
    }
}
