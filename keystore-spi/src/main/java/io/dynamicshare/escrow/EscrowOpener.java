package io.dynamicshare.escrow;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EnvelopeException;
import io.dynamicshare.envelope.OtherRecipient;
import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.Messages;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The private half of the escrow key, used offline: opens an entry through its escrow recipient alone, without
 * any KEK or key service. The unwrapped data key is checked against the entry's key commitment (ARC.7,
 * docs/FORMAT.md) before it decrypts anything, so an escrow recipient that holds another key than the KEK
 * recipient is refused, never used.
 *
 * <pre>{@code
 * EscrowOpener escrow = EscrowOpener.load(Paths.get("escrow.key"));   // PEM or DER, PKCS #8 or PKCS #1
 * byte[] shares = escrow.open(CmsEnvelope.parse(entryDer));           // zero it after use
 * }</pre>
 */
public final class EscrowOpener {
    private final PrivateKey key;

    private EscrowOpener(PrivateKey key) {
        this.key = key;
    }

    /** An opener over an RSA private key. */
    public static EscrowOpener of(PrivateKey key) {
        if (!"RSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("the escrow key is RSA; got a " + key.getAlgorithm() + " private key");
        }
        return new EscrowOpener(key);
    }

    /**
     * Reads an unencrypted RSA private key: PEM {@code PRIVATE KEY} (PKCS #8) or {@code RSA PRIVATE KEY} (PKCS #1), or
     * DER PKCS #8, as {@code openssl genpkey} writes it.
     *
     * @throws IOException naming the file when it is unreadable, not a private key, encrypted or not RSA
     */
    public static EscrowOpener load(Path file) throws IOException {
        Object o = PemDer.read(file);
        if (!(o instanceof PrivateKeyInfo)) {
            throw new IOException(file + " is not an unencrypted private key (PEM 'PRIVATE KEY' or 'RSA PRIVATE KEY', "
                    + "or DER PKCS #8)");
        }
        byte[] der = ((PrivateKeyInfo) o).getEncoded();
        try {
            return of(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " is not an RSA private key: " + e.getMessage(), e);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /**
     * The entry's data key, unwrapped by the first of its other recipients that this key opens and checked against
     * the entry's key commitment.
     *
     * @return 32 bytes; the caller owns and zeroes them
     * @throws EnvelopeException if no escrow recipient opens with this key
     * @throws io.dynamicshare.envelope.KeyCommitmentException if one unwraps to a key the entry does not commit to
     */
    public byte[] unwrapDataKey(SealedEntry entry) throws GeneralSecurityException {
        int tried = 0;
        for (OtherRecipient r : entry.otherRecipients()) {
            KeyTransRecipientInfo ktri = r.keyTransport();
            if (ktri == null || !RecipientInfoCodec.isRsaOaep256(ktri)) {
                continue;
            }
            tried++;
            byte[] k;
            try {
                k = KeyWrapCiphers.rsaOaepUnwrap(key, ktri.getEncryptedKey().getOctets());
            } catch (GeneralSecurityException e) {
                continue; // another escrow key's recipient (e.g. before a rotation): OAEP refuses it
            }
            try {
                if (k.length != KeyWrapCiphers.DATA_KEY_LENGTH) {
                    throw new EnvelopeException("the escrow recipient unwraps to a " + k.length + "-byte key, not a "
                            + "data key");
                }
                CmsEnvelope.checkCommitment(entry, k);
                return k;
            } catch (GeneralSecurityException | RuntimeException e) {
                Arrays.fill(k, (byte) 0);
                throw e;
            }
        }
        throw new EnvelopeException(tried == 0 ? "the entry carries no escrow recipient (it was written before the "
                + "escrow key was configured: run rewrap)" : "none of the entry's " + tried + " escrow recipient(s) "
                + "opens with this escrow key");
    }

    /**
     * The entry's plaintext (the shares JSON), opened with the escrow key alone.
     *
     * @return a new array the caller zeroes
     * @throws GeneralSecurityException as {@link #unwrapDataKey}, or {@code AEADBadTagException} if the entry does
     *                                  not authenticate under its data key
     */
    public byte[] open(SealedEntry entry) throws GeneralSecurityException {
        DataKey dek = DataKey.adopt(unwrapDataKey(entry));
        try {
            return CmsEnvelope.open(entry, dek);
        } finally {
            dek.destroy();
        }
    }

    /**
     * {@code verify --escrow-key}: opens every entry of a loaded store (whose entry tags and file MAC {@code load}
     * verified) with this key alone: its escrow recipient must unwrap to the data key the entry commits to, the
     * same key its KEK recipient holds, and the entry must decrypt under it. Decrypted bytes are zeroed.
     *
     * @return alias to failure message, for each entry that the escrow key cannot open; empty when all can
     * @throws KeyStoreException if the store is not loaded
     */
    public Map<String, String> verify(DynamicShareKeyStore ks) throws KeyStoreException {
        Map<String, String> failures = new LinkedHashMap<>();
        for (String alias : Collections.list(ks.aliases())) {
            try {
                Arrays.fill(open(CmsEnvelope.parse(ks.entryDer(alias))), (byte) 0);
            } catch (javax.crypto.AEADBadTagException e) {
                failures.put(alias, Messages.alias(alias) + "the entry does not authenticate under the data key its "
                        + "escrow recipient holds");
            } catch (GeneralSecurityException e) {
                failures.put(alias, Messages.alias(alias) + e.getMessage());
            }
        }
        return failures;
    }

    @Override
    public String toString() {
        return "EscrowOpener{RSA private key}";
    }
}
