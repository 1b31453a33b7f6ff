package io.dynamicshare.it;

import io.dynamicshare.entry.WalletAttribute;
import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.callback.CallbackHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.util.Set;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every validation rule, through setEntry: a clear error naming the alias and the field, and a store
 * left byte-for-byte as it was (an existing entry under the same alias survives).
 */
class ValidationTest {
    static final String ALIAS = "wallet-under-test";
    @TempDir
    Path dir;
    DevStores dev;
    KeyStore ks;
    byte[] before;
    final Fixtures.Wallet evm = Fixtures.WALLETS.get(0);

    @BeforeEach
    void storeWithOneWallet() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        ks = dev.newStore();
        ks.setEntry(ALIAS, WalletEntry.of(evm.shares(), evm.metadata()), null);
        before = DevStores.bytes(ks);
    }

    private String rejected(KeyStore.Entry entry) throws Exception {
        return rejected(entry, null);
    }

    private String rejected(KeyStore.Entry entry, KeyStore.ProtectionParameter p) throws Exception {
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.setEntry(ALIAS, entry, p));
        assertContains(e.getMessage(), "alias '" + ALIAS + "'");
        assertArrayEquals(before, DevStores.bytes(ks), "a rejected setEntry leaves the store unchanged");
        assertArrayEquals(evm.shares(), ((KeyStore.SecretKeyEntry) ks.getEntry(ALIAS, null)).getSecretKey().getEncoded());
        return e.getMessage();
    }

    private static byte[] edit(byte[] json, String from, String to) {
        String s = new String(json, StandardCharsets.UTF_8);
        if (!s.contains(from)) {
            throw new IllegalStateException("fixture lacks " + from);
        }
        return s.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void metadataMissing() throws Exception {
        String m = rejected(new KeyStore.SecretKeyEntry(new SecretKeySpec(evm.shares(), "RAW")));
        assertContains(m, "walletMetadata is missing", WalletAttributes.WALLET_METADATA);
    }

    @Test
    void identityOnlyMetadataRefusedUnlessExplicitlyAllowed() throws Exception {
        byte[] identity = Fixtures.read("identity-only/evm-fetch-wallet-metadata.json");
        String m = rejected(WalletEntry.of(evm.shares(), identity));
        assertContains(m, "externalServerKeySharesBackupInfo is missing", "identity-only", "fetchWalletMetadata");

        ks.setEntry(ALIAS, WalletEntry.allowingIdentityOnly(evm.shares(), identity), null);
        KeyStore.Entry stored = dev.open(DevStores.bytes(ks)).getEntry(ALIAS, null);
        assertEquals("true", WalletAttributes.get(stored, WalletAttributes.ALLOW_IDENTITY_ONLY));
    }

    @Test
    void btcWithoutAddressTypeUsesTheSdkWording() throws Exception {
        Fixtures.Wallet btc = Fixtures.WALLETS.get(2);
        String m = rejected(WalletEntry.of(btc.shares(), edit(btc.metadata(), "\"addressType\": \"taproot\",", "")));
        assertContains(m, "addressType is required for BTC. Please provide addressType (taproot or native_segwit).");
    }

    @Test
    void btcWithAnUnknownAddressType() throws Exception {
        Fixtures.Wallet btc = Fixtures.WALLETS.get(2);
        String m = rejected(WalletEntry.of(btc.shares(), edit(btc.metadata(), "\"taproot\"", "\"p2pkh\"")));
        assertContains(m, "addressType", "'p2pkh'", "taproot", "native_segwit");
    }

    @Test
    void shareCountMustMatchTheScheme() throws Exception {
        byte[] twoShares = Fixtures.WALLETS.get(1).shares();
        String m = rejected(WalletEntry.of(twoShares, evm.metadata()));
        assertContains(m, "externalServerKeyShares", "TWO_OF_TWO", "expected 1, actual 2");
    }

    @Test
    void sharesOfOneWalletMustShareTheirPublicKey() throws Exception {
        String m = rejected(WalletEntry.of(Shares.twoWithDifferentPublicKeys(), Fixtures.WALLETS.get(1).metadata()));
        assertContains(m, "externalServerKeyShares[1].pubkey differs");
    }

    @Test
    void unknownThresholdScheme() throws Exception {
        String m = rejected(WalletEntry.of(evm.shares(), edit(evm.metadata(), "TWO_OF_TWO", "TWO_OF_FOUR")));
        assertContains(m, "thresholdSignatureScheme", "TWO_OF_FOUR");
    }

    @Test
    void malformedSharesAndMetadata() throws Exception {
        assertContains(rejected(WalletEntry.of("not json".getBytes(), evm.metadata())), "externalServerKeyShares");
        assertContains(rejected(WalletEntry.of("[]".getBytes(), evm.metadata())), "externalServerKeyShares", "empty");
        assertContains(rejected(WalletEntry.of(evm.shares(), "[1,2]".getBytes())), "walletMetadata");
        assertContains(rejected(WalletEntry.of(evm.shares(), edit(evm.metadata(), "\"walletId\"", "\"walletIdentifier\""))),
                "walletMetadata.walletId");
    }

    @Test
    void unsupportedAndInconsistentAttributes() throws Exception {
        var shares = new SecretKeySpec(evm.shares(), "RAW");
        var metadata = new WalletAttribute(WalletAttributes.WALLET_METADATA, new String(evm.metadata(), StandardCharsets.UTF_8));
        assertContains(rejected(new KeyStore.SecretKeyEntry(shares, Set.of(metadata,
                new WalletAttribute("1.2.840.113549.1.9.20", "friendly")))), "attribute '1.2.840.113549.1.9.20' is not supported");
        assertContains(rejected(new KeyStore.SecretKeyEntry(shares, Set.of(metadata,
                new WalletAttribute(WalletAttributes.CHAIN_NAME, "SVM")))), "dynamicshare.chainName says 'SVM'", "'EVM'");
    }

    @Test
    void otherEntryTypesAreRefused() throws Exception {
        var pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
        Certificate cert = dev.selfSignedCertificate(pair);
        assertContains(rejected(new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {cert})),
                "PrivateKeyEntry is not supported");
        assertContains(rejected(new KeyStore.TrustedCertificateEntry(cert)), "TrustedCertificateEntry is not supported");
        assertContains(assertThrows(KeyStoreException.class, () -> ks.setCertificateEntry(ALIAS, cert)).getMessage(),
                "alias '" + ALIAS + "'", "certificate entries are not supported");
        assertContains(assertThrows(KeyStoreException.class,
                        () -> ks.setKeyEntry(ALIAS, new SecretKeySpec(evm.shares(), "RAW"), "pw".toCharArray(), null))
                .getMessage(), "setKeyEntry cannot carry walletMetadata", "WalletEntry.of");
        assertArrayEquals(before, DevStores.bytes(ks));
    }

    @Test
    void passwordsAreAcceptedAndIgnoredOtherProtectionsRefused() throws Exception {
        var tomcat = new KeyStore.PasswordProtection("changeit".toCharArray());
        ks.setEntry("second", WalletEntry.of(evm.shares(), evm.metadata()), tomcat);
        var other = new KeyStore.PasswordProtection("another".toCharArray());
        assertArrayEquals(evm.shares(), ((KeyStore.SecretKeyEntry) ks.getEntry("second", other)).getSecretKey().getEncoded());
        assertArrayEquals(evm.shares(), ks.getKey("second", null).getEncoded());
        ks.deleteEntry("second");
        before = DevStores.bytes(ks); // a set and a delete are a change: the next generation

        assertContains(rejected(WalletEntry.of(evm.shares(), evm.metadata()),
                new KeyStore.PasswordProtection("pw".toCharArray(), "PBEWithHmacSHA256AndAES_256", null)),
                "a password protection algorithm was requested");
        CallbackHandler handler = callbacks -> { };
        assertContains(rejected(WalletEntry.of(evm.shares(), evm.metadata()),
                new KeyStore.CallbackHandlerProtection(handler)), "CallbackHandlerProtection is not supported");
    }

    @Test
    void anySecretKeyCarryingTheSharesIsAccepted() throws Exception {
        var metadata = new WalletAttribute(WalletAttributes.WALLET_METADATA, new String(evm.metadata(), StandardCharsets.UTF_8));
        ks.setEntry("spec", new KeyStore.SecretKeyEntry(new SecretKeySpec(evm.shares(), "AES"), Set.of(metadata)), null);
        assertArrayEquals(evm.shares(), ks.getKey("spec", null).getEncoded());
    }

    @Test
    void emptyAliasAndDestroyedKey() throws Exception {
        assertContains(assertThrows(KeyStoreException.class,
                () -> ks.setEntry("", WalletEntry.of(evm.shares(), evm.metadata()), null)).getMessage(), "alias must not be empty");
        KeyStore.SecretKeyEntry entry = WalletEntry.of(evm.shares(), evm.metadata());
        entry.getSecretKey().destroy();
        assertContains(rejected(entry), "destroyed");
    }
}
