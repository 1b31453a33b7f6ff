package io.dynamicshare.kek.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.identity.CredentialBuilderBase;
import com.azure.identity.AadCredentialBuilderBase;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.Secrets;
import io.dynamicshare.config.StoreConfig;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The azure-identity credential named by {@code azure.credential}: {@code default}
 * (DefaultAzureCredential), {@code managed-identity}, {@code workload-identity}, {@code client-secret},
 * {@code client-certificate} or {@code azure-cli}. Secrets come from a file or an environment variable,
 * never from the configuration itself or a system property.
 *
 * <p>Every credential that calls a token endpoint does so through {@link AzureIdentityHttp} (the configured
 * transport and trust store, a deadline per token request) and with our retry policy, which replaces the identity
 * library's default (for IMDS, five retries of up to 12.8 s each). {@code ManagedIdentityCredentialBuilder.maxRetry}
 * and {@code retryTimeout} would not help: azure-identity 1.19 reads neither on this path.
 */
final class AzureCredentials {
    private AzureCredentials() {
    }

    static TokenCredential create(StoreConfig c, AzureIdentityHttp http, RetryPolicy retry) throws ConfigException {
        String kind = c.get("azure.credential") == null ? "default" : c.get("azure.credential");
        switch (kind) {
            case "default": {
                DefaultAzureCredentialBuilder b = transport(new DefaultAzureCredentialBuilder(), http, retry);
                if (c.get("azure.clientId") != null) {
                    b.managedIdentityClientId(c.get("azure.clientId")).workloadIdentityClientId(c.get("azure.clientId"));
                }
                if (c.get("azure.tenantId") != null) {
                    b.tenantId(c.get("azure.tenantId"));
                }
                if (c.get("azure.authorityHost") != null) {
                    b.authorityHost(c.get("azure.authorityHost"));
                }
                return b.build();
            }
            case "managed-identity": {
                ManagedIdentityCredentialBuilder b = transport(new ManagedIdentityCredentialBuilder(), http, retry);
                if (c.get("azure.clientId") != null) {
                    b.clientId(c.get("azure.clientId"));
                }
                return b.build();
            }
            case "workload-identity": {
                WorkloadIdentityCredentialBuilder b = aad(new WorkloadIdentityCredentialBuilder(), c, http, retry, false);
                if (c.path("azure.federatedTokenFile") != null) {
                    b.tokenFilePath(c.path("azure.federatedTokenFile").toString());
                }
                return b.build();
            }
            case "client-secret": {
                char[] secret = Secrets.read(c.path("azure.clientSecretFile"),
                        c.get("azure.clientSecretEnv") != null ? c.get("azure.clientSecretEnv") : "AZURE_CLIENT_SECRET",
                        "the Azure client secret");
                try {
                    return aad(new ClientSecretCredentialBuilder(), c, http, retry, true).clientSecret(new String(secret)).build();
                } finally {
                    Arrays.fill(secret, '\0');
                }
            }
            case "client-certificate": {
                Path cert = c.path("azure.clientCertificateFile");
                if (cert == null) {
                    throw new ConfigException("azure.credential=client-certificate needs azure.clientCertificateFile ("
                            + c.source() + ")");
                }
                ClientCertificateCredentialBuilder b = aad(new ClientCertificateCredentialBuilder(), c, http, retry, true);
                String name = cert.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                if (name.endsWith(".pfx") || name.endsWith(".p12")) {
                    String env = c.get("azure.clientCertificatePasswordEnv");
                    b.pfxCertificate(cert.toString());
                    if (env != null) {
                        b.clientCertificatePassword(new String(Secrets.read(null, env, "the client certificate password")));
                    }
                } else {
                    b.pemCertificate(cert.toString());
                }
                return b.build();
            }
            case "azure-cli":
                return new AzureCliCredentialBuilder().build();
            default:
                throw new ConfigException("azure.credential '" + kind + "' is not one of default, managed-identity, "
                        + "workload-identity, client-secret, client-certificate, azure-cli (" + c.source() + ")");
        }
    }

    /** Our transport, deadline and retry policy for the credential's token requests. */
    private static <T extends CredentialBuilderBase<T>> T transport(T b, AzureIdentityHttp http, RetryPolicy retry) {
        return b.httpClient(http).retryPolicy(retry).addPolicy(http.policy());
    }

    private static <T extends AadCredentialBuilderBase<T>> T aad(T b, StoreConfig c, AzureIdentityHttp http,
            RetryPolicy retry, boolean needsIds) throws ConfigException {
        if (needsIds && (c.get("azure.tenantId") == null || c.get("azure.clientId") == null)) {
            throw new ConfigException("azure.credential=" + c.get("azure.credential") + " needs azure.tenantId and "
                    + "azure.clientId (" + c.source() + ")");
        }
        transport(b, http, retry);
        if (c.get("azure.tenantId") != null) {
            b.tenantId(c.get("azure.tenantId"));
        }
        if (c.get("azure.clientId") != null) {
            b.clientId(c.get("azure.clientId"));
        }
        if (c.get("azure.authorityHost") != null) {
            b.authorityHost(c.get("azure.authorityHost"));
        }
        if (Boolean.parseBoolean(c.get("azure.disableInstanceDiscovery"))) {
            b.disableInstanceDiscovery();
        }
        return b;
    }
}
