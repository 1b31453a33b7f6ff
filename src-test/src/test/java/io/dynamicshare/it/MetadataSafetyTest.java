package io.dynamicshare.it;

import io.dynamicshare.entry.WalletAttribute;
import io.dynamicshare.entry.WalletAttributes;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.metadata.MetadataException;
import io.dynamicshare.metadata.WalletMetadata;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreIntegrityException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.Set;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Metadata is stored unencrypted beside the sealed shares: it must never hold share material, and what the
 * writer accepts the reader reads back unchanged. Every refusal names the alias and the field, never a
 * secret, and leaves the store byte for byte as it was.
 */
class MetadataSafetyTest {
    /** The start of the secretShare in the refresh fixture: must never reach the file or a message. */
    private static final String REFRESH_SECRET = "0253f3a8ff140a8d65700a9f0d6c61bf";

    @TempDir
    Path dir;
    DevStores dev;
    KeyStore ks;
    byte[] before;
    final Fixtures.Wallet evm = Fixtures.WALLETS.get(0);
    final byte[] refresh = Fixtures.read("evm-2of2/refresh-wallet-account-shares.return.json");

    @BeforeEach
    void storeOneWallet() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        ks = dev.newStore();
        ks.setEntry(evm.alias(), WalletEntry.of(evm.shares(), evm.metadata()), null);
        before = DevStores.bytes(ks);
    }

    private void assertUnchanged() throws Exception {
        byte[] now = DevStores.bytes(ks);
        assertArrayEquals(before, now, "a refused update writes nothing");
        assertFalse(new String(now, StandardCharsets.ISO_8859_1).contains(REFRESH_SECRET), "no plaintext share in the file");
        assertArrayEquals(evm.shares(), ks.getKey(evm.alias(), null).getEncoded());
    }

    /** The incident: an SDK result carrying externalServerKeyShares merged into metadata as its backup info. */
    @Test
    void anSdkResultCarryingSharesIsNeverMergedIntoMetadata() throws Exception {
        byte[] wrapped = ("{\"backupInfo\":" + new String(refresh, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
        KeyStoreException e = assertThrows(KeyStoreException.class,
                () -> WalletUpdates.applyPasswordUpdate(ks, evm.alias(), wrapped, null));
        assertContains(e.getMessage(), "alias '" + evm.alias() + "'", "backupInfo.externalServerKeyShares is key-share material");
        assertFalse(e.getMessage().contains(REFRESH_SECRET));
        assertUnchanged();

        WalletMetadata stored = WalletMetadata.parse(evm.metadata());
        MetadataException m = assertThrows(MetadataException.class, () -> stored.withBackupInfo(refresh));
        assertEquals("backupInfo.externalServerKeyShares", m.field());
    }

    /** updatePassword returns only backupInfo: a result with shares is a refresh, and its shares must not be dropped. */
    @Test
    void aPasswordUpdateGivenARefreshResultIsRefusedRatherThanLosingTheNewShares() throws Exception {
        KeyStoreException e = assertThrows(KeyStoreException.class,
                () -> WalletUpdates.applyPasswordUpdate(ks, evm.alias(), refresh, null));
        assertContains(e.getMessage(), "alias '" + evm.alias() + "'", "externalServerKeyShares", "applyShareRefresh");
        assertUnchanged();
    }

    @Test
    void setEntryRefusesMetadataThatHoldsShareMaterial() throws Exception {
        String metadata = new String(evm.metadata(), StandardCharsets.UTF_8).replace("\"chainName\": \"EVM\",",
                "\"chainName\": \"EVM\", \"externalServerKeyShares\": [{\"secretShare\": \"" + REFRESH_SECRET + "\"}],");
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.setEntry(evm.alias(),
                WalletEntry.of(evm.shares(), metadata.getBytes(StandardCharsets.UTF_8)), null));
        assertContains(e.getMessage(), "alias '" + evm.alias() + "'", "walletMetadata.externalServerKeyShares");
        assertFalse(e.getMessage().contains(REFRESH_SECRET));
        assertUnchanged();
    }

    @Test
    void invalidUtf8MetadataIsRefusedBeforeAnythingIsBuilt() throws Exception {
        byte[] bad = evm.metadata();
        bad[ContainerImage.indexOf(bad, "EVM".getBytes(StandardCharsets.US_ASCII))] = (byte) 0xc5; // lead byte, no continuation
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WalletEntry.of(evm.shares(), bad));
        assertContains(e.getMessage(), "walletMetadata is not valid UTF-8", "byte offset");
        assertUnchanged();
    }

    /**
     * Needs the EntryInput change (store package): read the metadata attribute with
     * {@code WalletMetadata.parseText(String)} instead of {@code getBytes(UTF_8)}, which turns an unpaired
     * surrogate into '?' and stores a different wallet id than the one given.
     */
    @Test
    void setEntryRefusesAnUnpairedSurrogateInTheMetadataString() throws Exception {
        String metadata = new String(evm.metadata(), StandardCharsets.UTF_8).replace("b22393f2", "b22393f\uD800");
        KeyStore.SecretKeyEntry entry = new KeyStore.SecretKeyEntry(WalletShareKey.of(evm.shares()),
                Set.of(new WalletAttribute(WalletAttributes.WALLET_METADATA, metadata)));
        KeyStoreException e = assertThrows(KeyStoreException.class, () -> ks.setEntry(evm.alias(), entry, null));
        assertContains(e.getMessage(), "alias '" + evm.alias() + "'", "unpaired surrogate");
        assertUnchanged();
    }

    /**
     * Needs the EntryRecord change (store package): metadata that is DER-valid but not JSON (a buggy writer,
     * a format-1 migration; here forged with the KEK) is a checked, reportable integrity failure naming the
     * alias, not an IllegalStateException.
     */
    @Test
    void storedMetadataThatIsNotJsonIsACheckedIntegrityError() throws Exception {
        DevStores rsa = new DevStores(dir.resolve("rsa"), WrapAlgorithm.RSA_OAEP_256);
        KeyStore plain = rsa.newStore();
        plain.setEntry(evm.alias(), WalletEntry.of(evm.shares(), evm.metadata()), null);
        ContainerImage image = ContainerImage.parse(DevStores.bytes(plain));
        byte[] entry = image.entries.get(0);
        entry[ContainerImage.indexOf(entry, evm.metadata())] = '['; // same length, still DER, no longer an object
        DynamicShareKeyStore forged = rsa.provider.newKeyStore();
        forged.load(new ByteArrayInputStream(image.forge(rsa.kek)), null);

        KeyStoreException e = assertThrows(KeyStoreException.class, () -> forged.attributes(evm.alias()));
        assertContains(e.getMessage(), "alias '" + evm.alias() + "'", "walletMetadata must be a JSON object");
        assertNotNull(find(e, StoreIntegrityException.class), "the CLI maps an integrity failure to exit 4: " + e);
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
