package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;

/** The baseline's local RSA-OAEP-256 wrap: an RSA public key ({@link #bits()}) and a per-thread JDK Cipher. */
@State(Scope.Thread)
public class RsaOaepWrapper {
    /** Like the product's: one shared default SecureRandom. */
    public static final SecureRandom RANDOM = new SecureRandom();
    private static final OAEPParameterSpec OAEP_SHA256 =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private PublicKey publicKey;
    private Cipher cipher;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits());
        publicKey = g.generateKeyPair().getPublic();
        cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
    }

    /** The key size: 2048, Key Vault's smallest RSA key. */
    protected int bits() {
        return 2048;
    }

    public byte[] wrap(byte[] key) throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, publicKey, OAEP_SHA256);
        return cipher.doFinal(key);
    }

    /**
     * The bare cryptography of one write, the baselines' share: a fresh 32-byte key and nonce, SunJCE AES-256-GCM of
     * payload {@code i} with its AAD, and an RSA-OAEP-256 wrap of the key (consumed by {@code bh}).
     *
     * @return the ciphertext
     */
    public byte[] sealAndWrap(GcmCiphertexts in, JdkGcmCipher jdk, int i, org.openjdk.jmh.infra.Blackhole bh)
            throws GeneralSecurityException {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        Cipher c = jdk.cipher;
        c.init(Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        c.updateAAD(in.aads[i]);
        byte[] ct = c.doFinal(in.plaintexts[i]);
        bh.consume(wrap(key));
        return ct;
    }
}
