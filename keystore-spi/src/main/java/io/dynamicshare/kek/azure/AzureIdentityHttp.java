package io.dynamicshare.kek.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.util.Context;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP side of the credential (azure-identity and MSAL, which call their token endpoint synchronously from
 * their own threads, with no context from the operation that wants the token).
 *
 * <ul>
 *   <li>Every token request, retries included, gets the operation timeout as its own deadline ({@link #policy}
 *       stamps it; the client below enforces it on each try and refuses a {@code Retry-After} beyond it).</li>
 *   <li>Each try is sent asynchronously and waited for with that deadline, so a silent endpoint costs the time
 *       left, not the read timeout per try; the call is cancelled (its socket closed) when the wait ends.</li>
 *   <li>When no operation waits for a token any longer, {@link #abandonAll()} cancels the requests in flight: the
 *       identity library's thread is released at once instead of waiting on an endpoint nobody listens to.</li>
 *   <li>It records which endpoint the credential talks to and what it answered, for the error messages.</li>
 * </ul>
 */
final class AzureIdentityHttp implements HttpClient {
    private static final String DEADLINE_KEY = "dynamicshare-identity-deadline";

    private final HttpClient delegate;
    private final long timeoutNanos;
    private final Set<CompletableFuture<HttpResponse>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile String lastEndpoint;
    private volatile String lastOutcome;

    /** The identity library's request was given up: past its deadline, or abandoned by every waiting operation. */
    static final class GaveUpException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GaveUpException(String message) {
            super(message);
        }
    }

    AzureIdentityHttp(HttpClient delegate, int timeoutSeconds) {
        this.delegate = delegate;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
    }

    /** The endpoint of the credential's latest request ({@code scheme://host:port/path}), or null. */
    String lastEndpoint() {
        return lastEndpoint;
    }

    /** What the latest request got: {@code HTTP 401}, {@code connection refused}, ..., or null. */
    String lastOutcome() {
        return lastOutcome;
    }

    /** The endpoint of a request in flight now, or null if none is. */
    String endpointInFlight() {
        return inFlight.isEmpty() ? null : lastEndpoint;
    }

    /** Cancels every request in flight (their sockets are closed; their threads get a {@link GaveUpException}). */
    void abandonAll() {
        for (CompletableFuture<HttpResponse> f : inFlight) {
            f.cancel(true);
        }
    }

    /**
     * The per-call policy to add to the credential's pipeline: stamps the request's deadline before the retry
     * policy, so it spans every try.
     */
    HttpPipelinePolicy policy() {
        return new HttpPipelinePolicy() {
            @Override
            public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
                stamp(context);
                return next.process();
            }

            @Override
            public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
                stamp(context);
                return next.processSync();
            }

            @Override
            public HttpPipelinePosition getPipelinePosition() {
                return HttpPipelinePosition.PER_CALL;
            }
        };
    }

    private void stamp(HttpPipelineCallContext context) {
        if (!context.getData(DEADLINE_KEY).isPresent()) {
            context.setData(DEADLINE_KEY, System.nanoTime() + timeoutNanos);
        }
    }

    /**
     * The credential pipeline's retry condition: what the vault's retries (minus 501/505) plus 404 and 410 (IMDS
     * answers them while it starts), and I/O failures; never a request given up.
     */
    static boolean shouldRetry(RequestRetryCondition c) {
        HttpResponse r = c.getResponse();
        if (r != null) {
            int s = r.getStatusCode();
            return s == 404 || s == 410 || AzureDeadline.retriableStatus(s);
        }
        return AzureDeadline.retriableFailure(c.getThrowable());
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        lastEndpoint = endpoint(request.getUrl());
        return delegate.send(request, context)
                .doOnNext(r -> lastOutcome = "HTTP " + r.getStatusCode())
                .doOnError(e -> lastOutcome = AzureErrors.cause(e));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        String endpoint = endpoint(request.getUrl());
        lastEndpoint = endpoint;
        long deadline = context.getData(DEADLINE_KEY).map(d -> (Long) d).orElse(System.nanoTime() + timeoutNanos);
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new GaveUpException("no answer from " + endpoint + " within the " + seconds() + " s deadline");
        }
        CompletableFuture<HttpResponse> f = delegate.send(request, context.addData("azure-eagerly-read-response", true))
                .toFuture();
        inFlight.add(f);
        try {
            HttpResponse r = f.get(left, TimeUnit.NANOSECONDS);
            lastOutcome = "HTTP " + r.getStatusCode();
            Duration wait = AzureDeadline.retriableStatus(r.getStatusCode()) ? AzureDeadline.retryAfter(r.getHeaders())
                    : null;
            if (wait != null && wait.toNanos() >= deadline - System.nanoTime()) {
                r.close();
                throw new GaveUpException(endpoint + " answered HTTP " + r.getStatusCode() + " with Retry-After: "
                        + wait.getSeconds() + " s, beyond the " + seconds() + " s deadline");
            }
            return r;
        } catch (TimeoutException e) {
            f.cancel(true);
            lastOutcome = "no answer within " + seconds() + " s";
            throw new GaveUpException("no answer from " + endpoint + " within " + seconds() + " s");
        } catch (CancellationException e) {
            lastOutcome = "no answer (the request was abandoned)";
            throw new GaveUpException("the request to " + endpoint + " was abandoned: no operation waits for it");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new GaveUpException("interrupted while waiting for " + endpoint);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            lastOutcome = AzureErrors.cause(cause);
            if (cause instanceof IOException) {
                throw new UncheckedIOException((IOException) cause);
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        } finally {
            inFlight.remove(f);
        }
    }

    private long seconds() {
        return TimeUnit.NANOSECONDS.toSeconds(timeoutNanos);
    }

    /** {@code scheme://host:port/path}: never the query, which may carry a client id or resource. */
    static String endpoint(URL url) {
        return url.getProtocol() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + url.getPath();
    }
}
