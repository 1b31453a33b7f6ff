package io.dynamicshare.kek.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
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
 */
final class AzureCredentials {
    private AzureCredentials() {
    }

    static TokenCredential create(StoreConfig c, HttpClient http) throws ConfigException {
        String kind = c.get("azure.credential") == null ? "default" : c.get("azure.credential");
        switch (kind) {
            case "default": {
                DefaultAzureCredentialBuilder b = new DefaultAzureCredentialBuilder().httpClient(http);
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
                ManagedIdentityCredentialBuilder b = new ManagedIdentityCredentialBuilder().httpClient(http);
                if (c.get("azure.clientId") != null) {
                    b.clientId(c.get("azure.clientId"));
                }
                return b.build();
            }
            case "workload-identity": {
                WorkloadIdentityCredentialBuilder b = aad(new WorkloadIdentityCredentialBuilder(), c, http, false);
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
                    return aad(new ClientSecretCredentialBuilder(), c, http, true).clientSecret(new String(secret)).build();
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
                ClientCertificateCredentialBuilder b = aad(new ClientCertificateCredentialBuilder(), c, http, true);
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

    private static <T extends AadCredentialBuilderBase<T>> T aad(T b, StoreConfig c, HttpClient http, boolean needsIds)
            throws ConfigException {
        if (needsIds && (c.get("azure.tenantId") == null || c.get("azure.clientId") == null)) {
            throw new ConfigException("azure.credential=" + c.get("azure.credential") + " needs azure.tenantId and "
                    + "azure.clientId (" + c.source() + ")");
        }
        b.httpClient(http);
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
