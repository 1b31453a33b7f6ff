package io.dynamicshare.kek.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.security.keyvault.keys.KeyAsyncClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyAsyncClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.Secrets;
import io.dynamicshare.threads.IsolatedThreads;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Builds the Azure SDK clients for one vault from the {@code azure.*} options: the OkHttp transport
 * (Java 8-compatible; Netty's native jars do not resolve from Maven Central) with the configured trust
 * store and timeouts, exponential-backoff retries (azure-core honours {@code Retry-After} on 408, 429 and
 * 5xx; {@link AzureDeadline.VaultPolicy} refuses one that ends past the deadline), the credential (through
 * {@link AzureIdentityHttp}, wrapped in a {@link TracedCredential}), and the challenge-resource switch local
 * emulators need.
 *
 * <p>Every operation has one deadline, {@code azure.operationTimeoutSeconds} ({@link #call}): the clients are the
 * SDK's asynchronous ones, so an operation past its deadline is cancelled rather than left running
 * ({@link AzureDeadline}). Their callbacks run on OkHttp's dispatcher, given daemon threads here: OkHttp's own are
 * not, and would keep a JVM whose main method has returned alive for a minute. Everything the SDK does for us
 * runs as the provider ({@link ProviderContexts}), so no thread it starts pins a web application's class loader.
 */
final class AzureClients {
    /** OkHttp's asynchronous calls, for every configuration: daemon threads that end after 10 idle seconds. */
    /**
     * OkHttp's asynchronous calls, for every configuration: daemon threads that end after 10 idle seconds and pin
     * nothing of the caller ({@link IsolatedThreads}).
     */
    private static final ExecutorService DISPATCH = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
            new SynchronousQueue<Runnable>(), new IsolatedThreads("dynamicshare-azure-http-", true, ProviderContexts.ProviderContext.LOADER));

    private final HttpClient http;
    private final TracedCredential credential;
    private final RetryOptions retry;
    private final int operationTimeoutSeconds;
    private final boolean disableChallengeResourceVerification;

    AzureClients(StoreConfig config) throws ConfigException {
        this.operationTimeoutSeconds = AzureOptions.integer(config, "azure.operationTimeoutSeconds", 30, 1, 600);
        this.http = ProviderContexts.ProviderContext.call(
                () -> new ProviderContexts.ProviderContextHttpClient(httpClient(config)));
        ExponentialBackoffOptions backoff = new ExponentialBackoffOptions()
                .setMaxRetries(AzureOptions.integer(config, "azure.maxRetries", 4, 0, 20))
                .setBaseDelay(Duration.ofMillis(AzureOptions.integer(config, "azure.retryBaseDelayMillis", 800, 1, 60_000)))
                .setMaxDelay(Duration.ofMillis(AzureOptions.integer(config, "azure.retryMaxDelayMillis", 30_000, 1, 600_000)));
        this.retry = new RetryOptions(backoff).setShouldRetryCondition(AzureDeadline::shouldRetry);
        AzureIdentityHttp identityHttp = new AzureIdentityHttp(http, operationTimeoutSeconds);
        RetryPolicy identityRetry = new RetryPolicy(new RetryOptions(backoff)
                .setShouldRetryCondition(AzureIdentityHttp::shouldRetry));
        String kind = config.get("azure.credential") == null ? "default" : config.get("azure.credential");
        TokenCredential created = ProviderContexts.ProviderContext.call(() -> new ProviderContexts.ProviderContextCredential(
                AzureCredentials.create(config, identityHttp, identityRetry)));
        this.credential = new TracedCredential(created, kind, config.get("azure.tenantId"), identityHttp);
        this.disableChallengeResourceVerification =
                Boolean.parseBoolean(config.get("azure.disableChallengeResourceVerification"));
    }

    KeyAsyncClient keyClient(String vaultUrl) {
        return ProviderContexts.ProviderContext.call(() -> buildKeyClient(vaultUrl));
    }

    private KeyAsyncClient buildKeyClient(String vaultUrl) {
        KeyClientBuilder b = new KeyClientBuilder().vaultUrl(vaultUrl).credential(credential).httpClient(http)
                .retryOptions(retry).addPolicy(new AzureDeadline.VaultPolicy());
        if (disableChallengeResourceVerification) {
            b.disableChallengeResourceVerification();
        }
        return b.buildAsyncClient();
    }

    /** A client for one exact key version that always calls the vault: we wrap locally ourselves. */
    CryptographyAsyncClient cryptographyClient(String versionedKeyId) {
        return ProviderContexts.ProviderContext.call(() -> buildCryptographyClient(versionedKeyId));
    }

    private CryptographyAsyncClient buildCryptographyClient(String versionedKeyId) {
        CryptographyClientBuilder b = new CryptographyClientBuilder().keyIdentifier(versionedKeyId).credential(credential)
                .httpClient(http).retryOptions(retry).addPolicy(new AzureDeadline.VaultPolicy()).disableKeyCaching();
        if (disableChallengeResourceVerification) {
            b.disableChallengeResourceVerification();
        }
        return b.buildAsyncClient();
    }

    /**
     * Runs one Key Vault operation within {@code azure.operationTimeoutSeconds}, token acquisition, retries and
     * {@code Retry-After} included; what the SDK throws is mapped to a {@link io.dynamicshare.kek.KekException}.
     */
    <T> T call(Mono<T> operation, String name, String keyId) throws io.dynamicshare.kek.KekException {
        try {
            return AzureDeadline.await(operation, name, keyId, operationTimeoutSeconds, credential);
        } catch (RuntimeException e) {
            throw AzureErrors.map(keyId, name, e);
        }
    }

    private static HttpClient httpClient(StoreConfig config) throws ConfigException {
        Dispatcher dispatcher = new Dispatcher(DISPATCH);
        // OkHttp queues asynchronous calls past 5 per host; the synchronous clients used before had no such limit.
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(256);
        OkHttpClient.Builder ok = new OkHttpClient.Builder().dispatcher(dispatcher);
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
}
