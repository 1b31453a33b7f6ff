package io.dynamicshare.it;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.KEKRecipientId;
import org.bouncycastle.cms.KeyTransRecipientId;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKEKAuthEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransAuthEnvelopedRecipient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKey;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Entries are standard CMS: BouncyCastle's own CMS parser and recipients, which know nothing of this
 * project, decrypt them with the KEK, and verify the tag over the same authenticated attributes.
 */
class CmsInteropTest {
    @TempDir
    Path dir;

    @Test
    void keyTransportEntryOpensWithBouncyCastleCms() throws Exception {
        byte[] entry = firstEntry(WrapAlgorithm.RSA_OAEP_256);
        CMSAuthEnvelopedData cms = new CMSAuthEnvelopedData(entry);
        RecipientInformation ri = cms.getRecipientInfos().getRecipients().iterator().next();
        KeyTransRecipientId rid = assertInstanceOf(KeyTransRecipientId.class, ri.getRID());
        assertEquals("devkek:test/v1", new String(rid.getSubjectKeyIdentifier(), StandardCharsets.US_ASCII));
        PrivateKey kek = (PrivateKey) devKeyFile().getKey("test/v1", PASSWORD);
        assertArrayEquals(Fixtures.WALLETS.get(0).shares(), ri.getContent(new JceKeyTransAuthEnvelopedRecipient(kek).setProvider(BC)));
    }

    @Test
    void kekRecipientEntryOpensWithBouncyCastleCms() throws Exception {
        byte[] entry = firstEntry(WrapAlgorithm.AES_KW_256);
        CMSAuthEnvelopedData cms = new CMSAuthEnvelopedData(entry);
        RecipientInformation ri = cms.getRecipientInfos().getRecipients().iterator().next();
        KEKRecipientId rid = assertInstanceOf(KEKRecipientId.class, ri.getRID());
        assertEquals("devkek:test/v1", new String(rid.getKeyIdentifier(), StandardCharsets.US_ASCII));
        SecretKey kek = (SecretKey) devKeyFile().getKey("test/v1", PASSWORD);
        assertArrayEquals(Fixtures.WALLETS.get(0).shares(), ri.getContent(new JceKEKAuthEnvelopedRecipient(kek).setProvider(BC)));
    }

    /** BouncyCastle's own JCA provider end to end: nothing of SunJCE or of this project decrypts. */
    static final org.bouncycastle.jce.provider.BouncyCastleProvider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    static final char[] PASSWORD = "test-devkek-password".toCharArray();

    private KeyStore devKeyFile() throws Exception {
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("dev-kek.p12"))) {
            p12.load(in, PASSWORD);
        }
        return p12;
    }

    private byte[] firstEntry(WrapAlgorithm algorithm) throws Exception {
        DevStores dev = new DevStores(dir, algorithm);
        KeyStore ks = dev.newStore();
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        return ContainerImage.parse(DevStores.bytes(ks)).entries.get(0);
    }
}
