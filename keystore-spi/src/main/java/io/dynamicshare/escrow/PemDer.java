package io.dynamicshare.escrow;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads one key or certificate from a file, PEM (RFC 7468) or DER, as OpenSSL writes them: a certificate
 * ({@code CERTIFICATE}), a public key ({@code PUBLIC KEY}, SubjectPublicKeyInfo) or a private key
 * ({@code PRIVATE KEY}, PKCS #8; {@code RSA PRIVATE KEY}, PKCS #1). Encrypted private keys are not read.
 */
final class PemDer {
    private PemDer() {
    }

    /**
     * @return an {@link X509CertificateHolder}, a {@link SubjectPublicKeyInfo} or a {@link PrivateKeyInfo}
     * @throws IOException naming the file when it cannot be read or holds none of these
     */
    static Object read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            if (contains(bytes, "-----BEGIN ")) {
                return pem(bytes, file);
            }
            return der(bytes);
        } catch (RuntimeException e) {
            throw new IOException(file + " holds no certificate or key in PEM or DER: " + e.getMessage(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Object pem(byte[] bytes, Path file) throws IOException {
        try (Reader r = new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.US_ASCII);
             PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (o instanceof PEMKeyPair) {
                return ((PEMKeyPair) o).getPrivateKeyInfo();
            }
            if (o instanceof X509CertificateHolder || o instanceof SubjectPublicKeyInfo || o instanceof PrivateKeyInfo) {
                return o;
            }
            throw new IOException(file + " holds " + (o == null ? "no PEM object" : "a PEM object of another kind ("
                    + o.getClass().getSimpleName() + "; an encrypted private key must be decrypted first)")
                    + ", not a certificate, public key or private key");
        }
    }

    private static Object der(byte[] bytes) throws IOException {
        ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(bytes));
        // Told apart by shape: a certificate has 3 elements, a public key 2 (algorithm, BIT STRING), a PKCS #8
        // private key starts with its version INTEGER.
        if (seq.size() == 3 && seq.getObjectAt(0) instanceof ASN1Sequence) {
            return new X509CertificateHolder(Certificate.getInstance(seq));
        }
        if (seq.size() == 2) {
            return SubjectPublicKeyInfo.getInstance(seq);
        }
        return PrivateKeyInfo.getInstance(seq);
    }

    /** PEM may follow explanatory text (RFC 7468 section 2), as in {@code openssl x509 -text} output. */
    private static boolean contains(byte[] b, String marker) {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + m.length <= b.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (b[i + j] != m[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
