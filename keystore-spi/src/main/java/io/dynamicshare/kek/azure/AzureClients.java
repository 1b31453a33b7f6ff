package io.dynamicshare.kek.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.Context;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.Secrets;
import io.dynamicshare.config.StoreConfig;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import reactor.core.publisher.Mono;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AccessController;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the Azure SDK clients for one vault from the {@code azure.*} options: the OkHttp transport
 * (Java 8-compatible; Netty's native jars do not resolve from Maven Central) with the configured trust
 * store and timeouts, exponential-backoff retries (azure-core honours {@code Retry-After} on 429 and
 * 503), the credential, and the challenge-resource switch local emulators need.
 *
 * <p>Threads. The SDK starts threads lazily, from whichever thread makes the call that needs them, and a new
 * thread inherits that thread's context class loader and (before Java 24) access-control context: in an app
 * server, a web application's request thread, whose loader would then stay pinned after the web application is
 * reloaded. Those threads are OkHttp's {@code OkHttp TaskRunner} (connection pool), Okio's {@code Okio Watchdog}
 * (socket timeouts), OkHttp's dispatcher, and azure-core's {@code azure-sdk-global-thread-N}
 * ({@code SharedExecutorService}, which azure-identity hands to MSAL for every token request). So everything
 * the SDK does for us runs {@linkplain ProviderContext as the provider}: clients are built, and every HTTP
 * exchange and token request runs, with the provider's class loader as context class loader and inside
 * {@code doPrivileged}; the dispatcher's threads come from {@link ProviderThreads}.
 */
final class AzureClients {
    private final HttpClient http;
    private final TokenCredential credential;
    private final RetryOptions retry;
    private final boolean disableChallengeResourceVerification;

    AzureClients(StoreConfig config) throws ConfigException {
        this.http = ProviderContext.call(() -> new ProviderContextHttpClient(httpClient(config)));
        this.credential = ProviderContext.call(
                () -> new ProviderContextCredential(AzureCredentials.create(config, http)));
        this.retry = new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(AzureOptions.integer(config, "azure.maxRetries", 4, 0, 20))
                .setBaseDelay(Duration.ofMillis(AzureOptions.integer(config, "azure.retryBaseDelayMillis", 800, 1, 60_000)))
                .setMaxDelay(Duration.ofMillis(AzureOptions.integer(config, "azure.retryMaxDelayMillis", 30_000, 1, 600_000))));
        this.disableChallengeResourceVerification =
                Boolean.parseBoolean(config.get("azure.disableChallengeResourceVerification"));
    }

    KeyClient keyClient(String vaultUrl) {
        return ProviderContext.call(() -> buildKeyClient(vaultUrl));
    }

    private KeyClient buildKeyClient(String vaultUrl) {
        KeyClientBuilder b = new KeyClientBuilder().vaultUrl(vaultUrl).credential(credential).httpClient(http)
                .retryOptions(retry);
        if (disableChallengeResourceVerification) {
            b.disableChallengeResourceVerification();
        }
        return b.buildClient();
    }

    /** A client for one exact key version that always calls the vault: we wrap locally ourselves. */
    CryptographyClient cryptographyClient(String versionedKeyId) {
        return ProviderContext.call(() -> buildCryptographyClient(versionedKeyId));
    }

    private CryptographyClient buildCryptographyClient(String versionedKeyId) {
        CryptographyClientBuilder b = new CryptographyClientBuilder().keyIdentifier(versionedKeyId).credential(credential)
                .httpClient(http).retryOptions(retry).disableKeyCaching();
        if (disableChallengeResourceVerification) {
            b.disableChallengeResourceVerification();
        }
        return b.buildClient();
    }

    private static HttpClient httpClient(StoreConfig config) throws ConfigException {
        // OkHttp's own dispatcher threads are neither daemons nor free of their creator's context.
        OkHttpClient.Builder ok = new OkHttpClient.Builder().dispatcher(new Dispatcher(new ThreadPoolExecutor(0,
                Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<Runnable>(),
                new ProviderThreads("dynamicshare-okhttp-dispatcher-"))));
        Path trustStore = config.path("azure.trustStore");
        if (trustStore != null) {
            X509TrustManager tm = trustManager(config, trustStore);
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {tm}, null);
                ok.sslSocketFactory(ssl.getSocketFactory(), tm);
            } catch (GeneralSecurityException e) {
                throw new ConfigException("azure.trustStore " + trustStore + " cannot set up TLS: " + e.getMessage(), e);
            }
        }
        return new OkHttpAsyncHttpClientBuilder(ok.build())
                .connectionTimeout(Duration.ofSeconds(AzureOptions.integer(config, "azure.connectTimeoutSeconds", 10, 1, 300)))
                .readTimeout(Duration.ofSeconds(AzureOptions.integer(config, "azure.readTimeoutSeconds", 30, 1, 600)))
                .build();
    }

    private static X509TrustManager trustManager(StoreConfig config, Path file) throws ConfigException {
        Path passwordFile = config.path("azure.trustStorePasswordFile");
        String env = config.get("azure.trustStorePasswordEnv");
        char[] password = passwordFile == null && env == null ? null
                : Secrets.read(passwordFile, env, "the azure.trustStore password");
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance(config.get("azure.trustStoreType") != null
                    ? config.get("azure.trustStoreType") : "PKCS12");
            ks.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    return (X509TrustManager) tm;
                }
            }
            throw new ConfigException("azure.trustStore " + file + " gives no X.509 trust manager");
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot read azure.trustStore " + file + ": " + e.getMessage(), e);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * Runs SDK code as the provider: with the class loader that loaded the provider as the thread's context
     * class loader, and inside {@code doPrivileged}, so that a thread the SDK starts meanwhile inherits neither a
     * web application's loader nor an access-control context holding the web application's protection domains.
     */
    static final class ProviderContext {
        static final ClassLoader LOADER = AzureClients.class.getClassLoader();

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

    /**
     * Daemon threads that pin nothing of whoever caused them: the provider's class loader as context class
     * loader, created inside {@code doPrivileged} (no caller's access-control context) and, on Java 9+, without
     * inherited thread locals.
     */
    static final class ProviderThreads implements ThreadFactory {
        /** {@code Thread(ThreadGroup, Runnable, String, long, boolean inheritThreadLocals)}, Java 9+. */
        private static final Constructor<Thread> WITHOUT_INHERITED_LOCALS = findConstructor();
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        ProviderThreads(String prefix) {
            this.prefix = prefix;
        }

        private static Constructor<Thread> findConstructor() {
            try {
                return Thread.class.getConstructor(ThreadGroup.class, Runnable.class, String.class, long.class,
                        boolean.class);
            } catch (NoSuchMethodException | SecurityException e) {
                return null; // Java 8
            }
        }

        @Override
        public Thread newThread(final Runnable r) {
            final String name = prefix + count.incrementAndGet();
            return ProviderContext.call(() -> {
                Thread t = null;
                if (WITHOUT_INHERITED_LOCALS != null) {
                    try {
                        t = WITHOUT_INHERITED_LOCALS.newInstance(null, r, name, 0L, false);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        t = null;
                    }
                }
                if (t == null) {
                    t = new Thread(r, name);
                }
                t.setDaemon(true);
                try {
                    t.setContextClassLoader(ProviderContext.LOADER);
                } catch (SecurityException e) {
                    // not permitted: it inherited the provider's loader from ProviderContext
                }
                return t;
            });
        }
    }
}
