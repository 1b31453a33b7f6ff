package io.dynamicshare.kek.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.cryptography.CryptographyClient;
import com.azure.security.keyvault.keys.cryptography.CryptographyClientBuilder;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.Secrets;
import io.dynamicshare.config.StoreConfig;
import okhttp3.OkHttpClient;

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

/**
 * Builds the Azure SDK clients for one vault from the {@code azure.*} options: the OkHttp transport
 * (Java 8-compatible; Netty's native jars do not resolve from Maven Central) with the configured trust
 * store and timeouts, exponential-backoff retries (azure-core honours {@code Retry-After} on 429 and
 * 503), the credential, and the challenge-resource switch local emulators need.
 */
final class AzureClients {
    private final HttpClient http;
    private final TokenCredential credential;
    private final RetryOptions retry;
    private final boolean disableChallengeResourceVerification;

    AzureClients(StoreConfig config) throws ConfigException {
        this.http = httpClient(config);
        this.credential = AzureCredentials.create(config, http);
        this.retry = new RetryOptions(new ExponentialBackoffOptions()
                .setMaxRetries(AzureOptions.integer(config, "azure.maxRetries", 4, 0, 20))
                .setBaseDelay(Duration.ofMillis(AzureOptions.integer(config, "azure.retryBaseDelayMillis", 800, 1, 60_000)))
                .setMaxDelay(Duration.ofMillis(AzureOptions.integer(config, "azure.retryMaxDelayMillis", 30_000, 1, 600_000))));
        this.disableChallengeResourceVerification =
                Boolean.parseBoolean(config.get("azure.disableChallengeResourceVerification"));
    }

    KeyClient keyClient(String vaultUrl) {
        KeyClientBuilder b = new KeyClientBuilder().vaultUrl(vaultUrl).credential(credential).httpClient(http)
                .retryOptions(retry);
        if (disableChallengeResourceVerification) {
            b.disableChallengeResourceVerification();
        }
        return b.buildClient();
    }

    /** A client for one exact key version that always calls the vault: we wrap locally ourselves. */
    CryptographyClient cryptographyClient(String versionedKeyId) {
        CryptographyClientBuilder b = new CryptographyClientBuilder().keyIdentifier(versionedKeyId).credential(credential)
                .httpClient(http).retryOptions(retry).disableKeyCaching();
        if (disableChallengeResourceVerification) {
            b.disableChallengeResourceVerification();
        }
        return b.buildClient();
    }

    private static HttpClient httpClient(StoreConfig config) throws ConfigException {
        OkHttpClient.Builder ok = new OkHttpClient.Builder();
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
