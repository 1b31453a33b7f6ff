package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.crypto.Cipher;

/** One SunJCE AES/GCM Cipher per thread, as the product keeps one (a ThreadLocal in AesGcm). */
@State(Scope.Thread)
public class JdkGcmCipher {
    public Cipher cipher;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
    }
}
