package io.dynamicshare.bench.state;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.Properties;

/**
 * {@link AzureWalletStore} with an escrow recipient configured ({@code escrow.certificate}: a self-signed RSA-3072
 * certificate, the smallest escrow key accepted): every setEntry also wraps the data key for the escrow key.
 */
@State(Scope.Benchmark)
public class AzureEscrowWalletStore extends AzureWalletStore {
    @Override
    protected AzureKek newKek(Properties extra) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072);
        KeyPair pair = g.generateKeyPair();
        X500Name name = new X500Name("CN=bench escrow");
        Path cert = Files.createTempFile("dynamicshare-bench-escrow-", ".crt");
        cert.toFile().deleteOnExit();
        try (Writer w = Files.newBufferedWriter(cert); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(),
                    new Date(System.currentTimeMillis() + 86_400_000L), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        }
        Properties p = new Properties();
        p.putAll(extra);
        p.setProperty("escrow.certificate", cert.toString());
        return new AzureKek(2048, p);
    }
}
