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

/** The baseline's local RSA-OAEP-256 wrap: an RSA-2048 public key and a per-thread JDK Cipher. */
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
        g.initialize(2048);
        publicKey = g.generateKeyPair().getPublic();
        cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
    }

    public byte[] wrap(byte[] key) throws GeneralSecurityException {
        cipher.init(Cipher.ENCRYPT_MODE, publicKey, OAEP_SHA256);
        return cipher.doFinal(key);
    }
}
