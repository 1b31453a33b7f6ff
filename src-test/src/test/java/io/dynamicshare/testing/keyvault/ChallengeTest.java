package io.dynamicshare.testing.keyvault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.implementation.KeyVaultCredentialPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The bearer-challenge handshake as the SDK's {@code KeyVaultCredentialPolicy} performs it. Each test uses a fresh
 * double (fresh port) and clears the SDK's JVM-wide challenge cache, which is keyed by host:port, so the first
 * request is always unauthenticated.
 */
class ChallengeTest {

    /** What a policy placed after the credential policy saw: the Authorization header and the status. */
    record Exchange(String authorization, int status) {
    }

    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    private final List<TokenRequestContext> tokenRequests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void clearSdkChallengeCache() {
        KeyVaultCredentialPolicy.clearCache();
    }

    @Test
    void firstRequestIsChallengedThenRetriedWithTheToken() {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            String kid = vault.createRsaKey("challenged", 2048);
            KeyClient client = client(vault, true);

            assertEquals(kid, client.getKey("challenged").getId());
            assertEquals(kid, client.getKey("challenged").getId());

            assertEquals(List.of(new Exchange(null, 401), new Exchange("Bearer " + SdkClients.TOKEN, 200),
                    new Exchange("Bearer " + SdkClients.TOKEN, 200)), seen);
            assertEquals(1, vault.challenges());
            assertEquals(3, vault.calls(Operation.GET_KEY));
            assertEquals(2, vault.successfulCalls(Operation.GET_KEY));
            TokenRequestContext ctx = tokenRequests.get(0);
            assertEquals(List.of("https://vault.azure.net/.default"), ctx.getScopes());
            assertEquals(AuthSettings.DEFAULT_TENANT_ID, ctx.getTenantId());
        }
    }

    @Test
    void challengeBodyIsReplayedForPostRequests() {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            // The SDK strips the body from the unauthenticated request and restores it after the challenge.
            String kid = client(vault, true).createRsaKey(
                    new com.azure.security.keyvault.keys.models.CreateRsaKeyOptions("posted").setKeySize(2048))
                    .getId();

            assertEquals(vault.latestKid("posted"), kid);
            assertEquals(401, seen.get(0).status());
            assertEquals(1, vault.successfulCalls(Operation.CREATE_KEY));
        }
    }

    @Test
    void ownResourceAndTenantAreAdvertisedWhenConfigured() {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            vault.auth().advertiseOwnResource(true).advertiseOwnAuthority(true).tenantId("my-tenant");
            vault.createOctHsmKey("own-resource");

            client(vault, true).getKey("own-resource");

            assertEquals("Bearer authorization=\"" + vault.vaultUrl() + "/my-tenant\", resource=\""
                    + vault.vaultUrl() + "\"", vault.auth().challengeHeader());
            assertEquals(List.of(vault.vaultUrl() + "/.default"), tokenRequests.get(0).getScopes());
            assertEquals("my-tenant", tokenRequests.get(0).getTenantId());
        }
    }

    @Test
    void resourceVerificationMustBeDisabledForLoopback() {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            vault.createOctHsmKey("verified");

            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> client(vault, false).getKey("verified"));
            assertTrue(e.getMessage().contains("does not match the requested domain"), e.getMessage());
            assertEquals(1, vault.challenges());
            assertEquals(0, vault.successfulCalls(Operation.GET_KEY));
        }
    }

    @Test
    void rejectedTokenSurfacesAsClientAuthenticationException() {
        try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
            vault.auth().acceptTokens("some-other-token");
            vault.createOctHsmKey("rejected");

            ClientAuthenticationException e = assertThrows(ClientAuthenticationException.class,
                    () -> client(vault, true).getKey("rejected"));
            assertEquals(401, e.getResponse().getStatusCode());
            assertEquals("Unauthorized", SdkClients.errorCode(e));
            assertEquals(0, vault.successfulCalls(Operation.GET_KEY));
            assertNull(seen.get(0).authorization());
        }
    }

    private KeyClient client(KeyVaultTestDouble vault, boolean disableVerification) {
        TokenCredential credential = ctx -> {
            tokenRequests.add(ctx);
            return Mono.just(new AccessToken(SdkClients.TOKEN, OffsetDateTime.now().plusHours(1)));
        };
        HttpPipelinePolicy recorder = (ctx, next) -> {
            String auth = ctx.getHttpRequest().getHeaders().getValue("Authorization");
            return next.process().doOnNext(r -> seen.add(new Exchange(auth, r.getStatusCode())));
        };
        KeyClientBuilder b = new KeyClientBuilder()
                .vaultUrl(vault.vaultUrl())
                .credential(credential)
                .httpClient(SdkClients.httpClient(vault))
                .addPolicy(recorder);
        if (disableVerification) {
            b.disableChallengeResourceVerification();
        } else {
            // The SDK retries its own verification failure with backoff; no retries keeps the test fast.
            b.retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)));
        }
        return b.buildClient();
    }
}
