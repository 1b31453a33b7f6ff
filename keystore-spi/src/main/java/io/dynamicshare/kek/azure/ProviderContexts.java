package io.dynamicshare.kek.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import reactor.core.publisher.Mono;

import java.security.AccessController;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;

/**
 * What the Azure SDK does for us runs as the provider, never as the caller. The SDK starts threads lazily, from
 * whichever thread makes the call that needs them, and a new thread inherits that thread's context class loader
 * and (before Java 24) access-control context: in an app server, a web application's request thread, whose loader
 * would then stay pinned after the web application is reloaded. Those threads are OkHttp's {@code OkHttp
 * TaskRunner} (connection pool), Okio's {@code Okio Watchdog} (socket timeouts), OkHttp's dispatcher, and
 * azure-core's {@code azure-sdk-global-thread-N} ({@code SharedExecutorService}, which azure-identity hands to
 * MSAL for every token request). So clients are built, and every HTTP exchange and token request runs, with the
 * provider's class loader as context class loader and inside {@code doPrivileged}; threads we create come from
 * {@link io.dynamicshare.threads.IsolatedThreads}. TomcatReloadTest proves it in a real container.
 */
final class ProviderContexts {
    private ProviderContexts() {
    }

    /**
     * Runs SDK code as the provider: with the class loader that loaded the provider as the thread's context
     * class loader, and inside {@code doPrivileged}, so that a thread the SDK starts meanwhile inherits neither a
     * web application's loader nor an access-control context holding the web application's protection domains.
     */
    static final class ProviderContext {
        static final ClassLoader LOADER = ProviderContexts.class.getClassLoader();

        interface Call<T, E extends Exception> {
            T run() throws E;
        }

        private ProviderContext() {
        }

        @SuppressWarnings("unchecked") // a PrivilegedActionException carries only what call.run() declares
        static <T, E extends Exception> T call(final Call<T, E> call) throws E {
            try {
                return AccessController.doPrivileged((PrivilegedExceptionAction<T>) () -> withLoader(call));
            } catch (PrivilegedActionException e) {
                throw (E) e.getException();
            }
        }

        private static <T, E extends Exception> T withLoader(Call<T, E> call) throws E {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            if (previous == LOADER) {
                return call.run();
            }
            try {
                thread.setContextClassLoader(LOADER);
            } catch (SecurityException e) {
                return call.run(); // not permitted: at least the access-control context is the provider's
            }
            try {
                return call.run();
            } finally {
                thread.setContextClassLoader(previous);
            }
        }

        /** A Mono subscribed to as the provider (the SDK does its work when subscribed to, not when assembled). */
        static <T> Mono<T> mono(final Call<Mono<T>, RuntimeException> source) {
            return Mono.create(sink -> sink.onDispose(
                    call(() -> source.run().subscribe(sink::success, sink::error, () -> sink.success()))));
        }
    }

    /** The transport, every exchange run as the provider (OkHttp's TaskRunner and Okio's Watchdog start here). */
    static final class ProviderContextHttpClient implements HttpClient {
        private final HttpClient delegate;

        ProviderContextHttpClient(HttpClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request) {
            return ProviderContext.mono(() -> delegate.send(request));
        }

        @Override
        public Mono<HttpResponse> send(HttpRequest request, Context context) {
            return ProviderContext.mono(() -> delegate.send(request, context));
        }

        @Override
        public HttpResponse sendSync(HttpRequest request, Context context) {
            return ProviderContext.call(() -> delegate.sendSync(request, context));
        }
    }

    /** The credential, every token request run as the provider (MSAL runs it on azure-core's shared executor). */
    static final class ProviderContextCredential implements TokenCredential {
        private final TokenCredential delegate;

        ProviderContextCredential(TokenCredential delegate) {
            this.delegate = delegate;
        }

        @Override
        public Mono<AccessToken> getToken(TokenRequestContext request) {
            return ProviderContext.mono(() -> delegate.getToken(request));
        }

        @Override
        public AccessToken getTokenSync(TokenRequestContext request) {
            return ProviderContext.call(() -> delegate.getTokenSync(request));
        }
    }
}
