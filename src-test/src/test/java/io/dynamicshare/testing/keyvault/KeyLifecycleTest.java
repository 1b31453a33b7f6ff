package io.dynamicshare.testing.keyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.stream.Collectors;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.models.CreateOctKeyOptions;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.DeletedKey;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyType;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key management through the real {@code KeyClient}: create, get, rotate, list, update, delete. */
class KeyLifecycleTest {

    private static KeyVaultTestDouble vault;
    private static KeyClient keys;

    @BeforeAll
    static void start() {
        vault = KeyVaultTestDouble.start();
        keys = SdkClients.keyClient(vault);
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    @BeforeEach
    void reset() {
        vault.faults().clear();
        vault.resetCounters();
    }

    @Test
    void createsRsa2048KeyAndReturnsPublicKeyMaterial() {
        KeyVaultKey key = keys.createRsaKey(new CreateRsaKeyOptions("rsa-create").setKeySize(2048));

        assertEquals(KeyType.RSA, key.getKeyType());
        assertTrue(key.getId().startsWith(vault.vaultUrl() + "/keys/rsa-create/"), key.getId());
        assertEquals("rsa-create", key.getName());
        assertEquals(32, key.getProperties().getVersion().length());
        assertTrue(key.getProperties().isEnabled());
        assertNotNull(key.getProperties().getCreatedOn());
        assertTrue(key.getKeyOperations().contains(KeyOperation.WRAP_KEY));
        assertTrue(key.getKeyOperations().contains(KeyOperation.UNWRAP_KEY));
        RSAPublicKey pub = (RSAPublicKey) key.getKey().toRsa(false).getPublic();
        assertEquals(2048, pub.getModulus().bitLength());
        assertEquals(vault.publicKey(key.getId()), pub);
        assertEquals(1, vault.successfulCalls(Operation.CREATE_KEY));
    }

    @Test
    void createsOctHsmKeyWithoutReleasingKeyMaterial() {
        KeyVaultKey key = keys.createOctKey(
                new CreateOctKeyOptions("oct-create").setHardwareProtected(true).setKeySize(256));

        assertEquals(KeyType.OCT_HSM, key.getKeyType());
        assertNull(key.getKey().getK(), "an HSM key must never expose its secret");
        assertTrue(key.getKeyOperations().contains(KeyOperation.WRAP_KEY));
    }

    @Test
    void getsNewestVersionWithoutVersionAndExactVersionWithIt() {
        String v1 = vault.createRsaKey("rsa-get", 2048);
        String v2 = vault.newVersion("rsa-get");

        assertEquals(v2, keys.getKey("rsa-get").getId());
        assertEquals(v1, keys.getKey("rsa-get", version(v1)).getId());
        assertNotEquals(vault.publicKey(v1), vault.publicKey(v2));
        assertEquals(2, vault.successfulCalls(Operation.GET_KEY));
    }

    @Test
    void listsAllVersionsAfterRotationThroughTheSdk() {
        KeyVaultKey first = keys.createRsaKey(new CreateRsaKeyOptions("rsa-rotate").setKeySize(2048));
        KeyVaultKey second = keys.createRsaKey(new CreateRsaKeyOptions("rsa-rotate").setKeySize(3072));

        List<String> ids = keys.listPropertiesOfKeyVersions("rsa-rotate").stream()
                .map(KeyProperties::getId).collect(Collectors.toList());

        assertEquals(List.of(first.getId(), second.getId()), ids);
        assertEquals(second.getId(), keys.getKey("rsa-rotate").getId());
        assertEquals(3072, ((RSAPublicKey) keys.getKey("rsa-rotate").getKey().toRsa(false).getPublic())
                .getModulus().bitLength());
    }

    @Test
    void pagesVersionListsLikeKeyVault() {
        vault.createOctHsmKey("oct-paged");
        for (int i = 0; i < 26; i++) {
            vault.newVersion("oct-paged");
        }

        List<KeyProperties> all = keys.listPropertiesOfKeyVersions("oct-paged").stream()
                .collect(Collectors.toList());

        assertEquals(27, all.size());
        assertEquals(27, all.stream().map(KeyProperties::getVersion).distinct().count());
        assertEquals(vault.latestKid("oct-paged"), all.get(26).getId());
        assertEquals(2, vault.successfulCalls(Operation.LIST_KEY_VERSIONS), "25 + 2 items = two pages");
    }

    @Test
    void updatesEnabledFlagThroughPatch() {
        String kid = vault.createRsaKey("rsa-update", 2048);
        KeyProperties props = keys.getKey("rsa-update", version(kid)).getProperties();

        KeyVaultKey updated = keys.updateKeyProperties(props.setEnabled(false));

        assertFalse(updated.getProperties().isEnabled());
        assertFalse(keys.getKey("rsa-update").getProperties().isEnabled());
        assertEquals(1, vault.successfulCalls(Operation.UPDATE_KEY));
        keys.updateKeyProperties(keys.getKey("rsa-update").getProperties().setEnabled(true));
        assertTrue(keys.getKey("rsa-update").getProperties().isEnabled());
    }

    @Test
    void deletedKeyAnswers404KeyNotFound() {
        String kid = vault.createRsaKey("rsa-delete", 2048);

        DeletedKey deleted = keys.beginDeleteKey("rsa-delete").waitForCompletion().getValue();
        assertEquals(vault.vaultUrl() + "/deletedkeys/rsa-delete", deleted.getRecoveryId());
        assertEquals(kid, deleted.getId());
        assertEquals(1, vault.successfulCalls(Operation.DELETE_KEY));

        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
                () -> keys.getKey("rsa-delete"));
        assertEquals(404, e.getResponse().getStatusCode());
        assertEquals("KeyNotFound", SdkClients.errorCode(e));
    }

    @Test
    void unknownVersionAnswers404() {
        vault.createRsaKey("rsa-unknown-version", 2048);

        HttpResponseException e = assertThrows(HttpResponseException.class,
                () -> keys.getKey("rsa-unknown-version", "0123456789abcdef0123456789abcdef"));
        assertEquals(404, e.getResponse().getStatusCode());
        assertEquals("KeyNotFound", SdkClients.errorCode(e));
    }

    @Test
    void convenienceMethodsRejectUnknownKeysWithIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> vault.setEnabled(vault.vaultUrl() + "/keys/never-created", false));
        assertTrue(e.getMessage().startsWith("KeyNotFound"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> vault.createRsaKey("bad-size", 1024));
    }

    static String version(String kid) {
        return kid.substring(kid.lastIndexOf('/') + 1);
    }
}
