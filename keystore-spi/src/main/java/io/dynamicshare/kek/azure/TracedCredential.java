package io.dynamicshare.kek.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The configured azure-identity credential, as the vault clients see it: its failures say which credential
 * ({@code azure.credential}), which token endpoint and the real cause ({@link TokenException}), and when the last
 * operation waiting for a token gives up (its deadline passed), the token request in flight is abandoned (see
 * {@link AzureIdentityHttp#abandonAll()}).
 */
final class TracedCredential implements TokenCredential {
    private final TokenCredential inner;
    private final String kind;
    private final String configuredTenant;
    private final AzureIdentityHttp http;
    private final AtomicInteger waiting = new AtomicInteger();

    /** The credential could not get a token; the message says which credential, where, and why. */
    static final class TokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TokenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    TracedCredential(TokenCredential inner, String kind, String configuredTenant, AzureIdentityHttp http) {
        this.inner = inner;
        this.kind = kind;
        this.configuredTenant = configuredTenant;
        this.http = http;
    }

    /** {@code azure.credential=<kind>}. */
    String name() {
        return "azure.credential=" + kind;
    }

    /**
     * What an operation that timed out was waiting for on the credential's side, or null: a token request in
     * flight, or one that failed and is being retried.
     */
    String pendingTokenRequest() {
        String inFlight = http.endpointInFlight();
        if (inFlight != null) {
            return "no access token yet: " + name() + " is still waiting for its token endpoint " + inFlight
                    + " to answer";
        }
        if (waiting.get() > 0) {
            String at = http.lastEndpoint();
            String outcome = http.lastOutcome();
            return "no access token yet from " + name() + (at == null ? "" : " (token endpoint " + at
                    + (outcome == null ? "" : ", last outcome: " + outcome) + ")");
        }
        return null;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.defer(() -> {
            waiting.incrementAndGet();
            return inner.getToken(request);
        }).doFinally(signal -> {
            if (waiting.decrementAndGet() == 0 && signal == SignalType.CANCEL) {
                http.abandonAll();
            }
        }).onErrorMap(e -> !(e instanceof TokenException), e -> describe(request, e));
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        try {
            return inner.getTokenSync(request);
        } catch (TokenException e) {
            throw e;
        } catch (RuntimeException e) {
            throw describe(request, e);
        }
    }

    private TokenException describe(TokenRequestContext request, Throwable e) {
        StringBuilder b = new StringBuilder(name()).append(" could not get an access token");
        String endpoint = http.lastEndpoint();
        if (endpoint != null) {
            b.append(" from ").append(endpoint);
        }
        String message = AzureErrors.messages(e);
        String challengeTenant = request.getTenantId();
        if (message.contains("not configured to acquire tokens for tenant") && challengeTenant != null) {
            b.append(": the vault's challenge names tenant ").append(challengeTenant).append(" but azure.tenantId is ")
                    .append(configuredTenant).append(" (set azure.tenantId to the vault's tenant)");
            return new TokenException(b.toString(), e);
        }
        b.append(": ").append(AzureErrors.cause(e));
        String outcome = http.lastOutcome();
        if (outcome != null && outcome.startsWith("HTTP ") && !b.toString().contains(outcome)) {
            b.append(" (").append(outcome).append(')');
        }
        return new TokenException(b.toString(), e);
    }
}
