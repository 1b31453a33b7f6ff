package io.dynamicshare.kek.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.identity.CredentialUnavailableException;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One overall deadline for each Key Vault operation ({@code azure.operationTimeoutSeconds}): token acquisition,
 * every retry and every {@code Retry-After} wait fit in it, or the operation fails with an error that names it.
 *
 * <p>How, with what the SDK offers (azure-core 1.61, keyvault-keys 4.12, azure-identity 1.19): the synchronous
 * clients take no timeout and their retry policy sleeps {@code Retry-After} without bound, so each operation runs on
 * the asynchronous client and the calling thread waits on it for the time left ({@link #await}). When that runs out
 * the subscription is cancelled: the OkHttp call in flight is cancelled (its socket closed), a pending retry delay is
 * disposed, and so is the token request, which {@link TracedCredential} then abandons (see there). Before that, a
 * throttled answer whose {@code Retry-After} goes past the deadline fails at once ({@link VaultPolicy}) rather than
 * waiting out the deadline, and a credential failure is never retried by the vault's retry policy (the identity
 * library retried it already: retrying it again multiplied every wait).
 */
final class AzureDeadline {
    /** The reactor (and so azure-core) context key of the operation's {@link Attempt}. */
    static final String CONTEXT_KEY = "dynamicshare-azure-attempt";

    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_.]+)\"");

    private AzureDeadline() {
    }

    /** One operation in progress: what it is, when it must end, and what the vault last said to it. */
    static final class Attempt {
        final String operation;
        final String keyId;
        final int timeoutSeconds;
        final long deadlineNanos;
        volatile String lastVaultAnswer;

        Attempt(String operation, String keyId, int timeoutSeconds) {
            this.operation = operation;
            this.keyId = keyId;
            this.timeoutSeconds = timeoutSeconds;
            this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        }

        long remainingNanos() {
            return deadlineNanos - System.nanoTime();
        }

        String setting() {
            return "azure.operationTimeoutSeconds=" + timeoutSeconds;
        }
    }

    /** The operation did not finish within its deadline; the message says what it was still waiting for. */
    static final class OperationTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OperationTimeoutException(String message) {
            super(message);
        }
    }

    /**
     * The vault throttled (or was unavailable) and asked for a wait that goes past the deadline: failing now says
     * why, where waiting would only end in a timeout.
     */
    static final class RetryAfterBeyondDeadlineException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        RetryAfterBeyondDeadlineException(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /**
     * Runs {@code call} within {@code timeoutSeconds}: returns its value, rethrows its failure, or cancels it at the
     * deadline and throws {@link OperationTimeoutException} describing what it was waiting for.
     */
    static <T> T await(Mono<T> call, String operation, String keyId, int timeoutSeconds, TracedCredential credential) {
        Attempt attempt = new Attempt(operation, keyId, timeoutSeconds);
        CompletableFuture<T> future = call.contextWrite(ctx -> ctx.put(CONTEXT_KEY, attempt)).toFuture();
        try {
            return future.get(Math.max(0, attempt.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String message = timeoutMessage(attempt, credential); // before the cancel ends what it waits for
            future.cancel(true);
            throw new OperationTimeoutException(message);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new OperationTimeoutException("Key Vault " + operation + " was interrupted");
        } catch (CancellationException e) {
            throw new OperationTimeoutException("Key Vault " + operation + " was cancelled");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static String timeoutMessage(Attempt a, TracedCredential credential) {
        StringBuilder b = new StringBuilder("Key Vault ").append(a.operation).append(" did not finish within ")
                .append(a.setting()).append(" (").append(a.timeoutSeconds).append(" s): ");
        String waiting = credential.pendingTokenRequest();
        String vault = a.lastVaultAnswer;
        if (waiting != null) {
            b.append(waiting);
        } else if (vault != null) {
            b.append("the vault's last answer was ").append(vault).append(" and it did not answer again in time");
        } else {
            b.append("the vault did not answer in time");
        }
        return b.append("; raise azure.operationTimeoutSeconds only if the vault is known to be that slow").toString();
    }

    /**
     * The vault pipeline's retry condition: 408, 429 and 5xx (but 501, 505) answers, and failures to reach the vault
     * (I/O errors, timeouts). Never a credential failure (the identity library retried it already), a deadline or
     * Retry-After refusal, or anything else the SDK throws (a challenge for another resource does not go away).
     */
    static boolean shouldRetry(RequestRetryCondition c) {
        HttpResponse r = c.getResponse();
        if (r != null) {
            return retriableStatus(r.getStatusCode());
        }
        return retriableFailure(c.getThrowable());
    }

    static boolean retriableStatus(int status) {
        return status == 408 || status == 429 || (status >= 500 && status != 501 && status != 505);
    }

    static boolean retriableFailure(Throwable t) {
        boolean io = false;
        for (Throwable x = t; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (x instanceof ClientAuthenticationException || x instanceof CredentialUnavailableException
                    || x instanceof TracedCredential.TokenException || x instanceof OperationTimeoutException
                    || x instanceof RetryAfterBeyondDeadlineException || x instanceof AzureIdentityHttp.GaveUpException) {
                return false;
            }
            if (x instanceof IOException || x instanceof TimeoutException) {
                io = true;
            }
        }
        return io;
    }

    /**
     * The wait a retriable answer asks for ({@code retry-after-ms}, {@code x-ms-retry-after-ms}, or
     * {@code Retry-After} in seconds or as an HTTP date), or null: the headers azure-core's RetryPolicy honours.
     */
    static Duration retryAfter(HttpHeaders headers) {
        for (String ms : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            String v = headers.getValue(ms);
            if (v != null) {
                try {
                    return Duration.ofMillis(Long.parseLong(v.trim()));
                } catch (NumberFormatException ignored) {
                    // try the next header
                }
            }
        }
        String v = headers.getValue("Retry-After");
        if (v == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            try {
                return Duration.between(OffsetDateTime.now(),
                        ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toOffsetDateTime());
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /**
     * A per-try policy of the vault pipeline (after the retry policy and the credential policy): records the vault's
     * answers on the operation's {@link Attempt}, and turns a retriable answer whose {@code Retry-After} does not fit
     * in the time left into an immediate, explained failure.
     */
    static final class VaultPolicy implements HttpPipelinePolicy {
        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            Object data = context.getData(CONTEXT_KEY).orElse(null);
            if (!(data instanceof Attempt)) {
                return next.process();
            }
            Attempt a = (Attempt) data;
            return next.process().flatMap(response -> {
                int status = response.getStatusCode();
                a.lastVaultAnswer = "HTTP " + status;
                if (!retriableStatus(status)) {
                    return Mono.just(response);
                }
                Duration wait = retryAfter(response.getHeaders());
                long left = a.remainingNanos();
                if (wait == null || wait.toNanos() < left) {
                    return Mono.just(response);
                }
                return response.getBodyAsString().defaultIfEmpty("").flatMap(body -> {
                    response.close();
                    Matcher m = CODE.matcher(body);
                    String code = m.find() ? m.group(1) : null;
                    return Mono.<HttpResponse>error(new RetryAfterBeyondDeadlineException(status, code,
                            "Key Vault answered " + a.operation + " with HTTP " + status
                                    + (code == null ? "" : " " + code) + " and Retry-After: " + wait.getSeconds()
                                    + " s, more than the " + Math.max(0, TimeUnit.NANOSECONDS.toMillis(left)) / 1000.0
                                    + " s left of " + a.setting() + "; not waiting for it"));
                });
            });
        }
    }
}
