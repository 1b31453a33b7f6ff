package io.dynamicshare.testing.keyvault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.models.KeyWrapAlgorithm;
import com.azure.security.keyvault.keys.implementation.KeyVaultCredentialPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** azure-identity's {@code ClientSecretCredential} (MSAL) authenticating against the emulated token endpoint. */
class TokenEndpointTest {

    @BeforeEach
    void clearSdkChallengeCache() {
        KeyVaultCredentialPolicy.clearCache();
    }

    @Test
    void clientSecretCredentialGetsATokenTheVaultAccepts() {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            vault.auth().clientCredentials("app-id", "app-secret").acceptTokens("no-static-token-is-valid");
            String kid = vault.createRsaKey("via-aad", 2048);
            ClientSecretCredential credential = credential(vault, "app-secret");

            KeyClient keys = new KeyClientBuilder()
                    .vaultUrl(vault.vaultUrl())
                    .credential(credential)
                    .disableChallengeResourceVerification()
                    .httpClient(SdkClients.httpClient(vault))
                    .buildClient();
            CryptographyClient crypto = SdkClients.crypto(vault, kid, credential);
            byte[] dek = WrapUnwrapTest.randomBytes(32);
            byte[] wrapped = crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dek).getEncryptedKey();

            assertEquals(kid, keys.getKey("via-aad").getId());
            assertArrayEquals(dek, crypto.unwrapKey(KeyWrapAlgorithm.RSA_OAEP_256, wrapped).getKey());
            // azure-core caches the token per client pipeline; MSAL's own cache does not hit for an authority on a
            // non-default port, so expect one token request per SDK client (two here), never one per call.
            long tokens = vault.successfulCalls(Operation.TOKEN);
            assertTrue(tokens >= 1 && tokens <= 2, "token requests: " + tokens);
        }
    }

    @Test
    void tokenHasTheAadResponseShape() {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            AccessToken token = credential(vault, "anything").getTokenSync(
                    new TokenRequestContext().addScopes("https://vault.azure.net/.default"));

            assertTrue(token.getToken().startsWith("kvd-"));
            assertTrue(token.getExpiresAt().isAfter(java.time.OffsetDateTime.now().plusMinutes(50)));
            assertEquals(1, vault.calls(Operation.TOKEN));
        }
    }

    @Test
    void wrongClientSecretIsRejected() {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            vault.auth().clientCredentials("app-id", "app-secret");

            // azure-identity surfaces MSAL's service error wrapped in a RuntimeException.
            RuntimeException e = assertThrows(RuntimeException.class, () -> credential(vault, "wrong").getTokenSync(
                    new TokenRequestContext().addScopes("https://vault.azure.net/.default")));
            assertTrue(causeChain(e).contains("AADSTS7000215"), causeChain(e));
            assertTrue(vault.calls(Operation.TOKEN) >= 1);
            assertEquals(0, vault.successfulCalls(Operation.TOKEN));
        }
    }

    private static String causeChain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static ClientSecretCredential credential(KeyVaultTestDouble vault, String secret) {
        return new ClientSecretCredentialBuilder()
                .tenantId(vault.auth().tenantId())
                .clientId("app-id")
                .clientSecret(secret)
                .authorityHost(vault.vaultUrl())
                .disableInstanceDiscovery()
                .httpClient(SdkClients.httpClient(vault))
                .build();
    }
}
