package io.dynamicshare.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.security.keyvault.keys.KeyClient;
import com.azure.security.keyvault.keys.KeyClientBuilder;
import com.azure.security.keyvault.keys.models.CreateOctKeyOptions;
import com.azure.security.keyvault.keys.models.CreateRsaKeyOptions;
import com.azure.security.keyvault.keys.models.KeyOperation;
import com.azure.security.keyvault.keys.models.KeyProperties;
import com.azure.security.keyvault.keys.models.KeyVaultKey;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import okhttp3.OkHttpClient;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * The vault administrator's side of the Key Vault test double: keys with a chosen type, size and permitted
 * operations, and attribute updates, made through the real SDK as an operator's tooling would. The double's own
 * convenience methods only make RSA / oct-HSM keys with default operations. Calls made here are counted by the
 * double: tests reset its counters after setting up.
 */
final class VaultAdmin {
    private static final String TOKEN = "azure-tests-admin-token";
    private final KeyVaultTestDouble vault;
    private final KeyClient keys;

    VaultAdmin(KeyVaultTestDouble vault) {
        this.vault = vault;
        vault.auth().acceptTokens(TOKEN);
        OkHttpClient ok = new OkHttpClient.Builder()
                .sslSocketFactory(vault.clientSslContext().getSocketFactory(), vault.trustManager()).build();
        this.keys = new KeyClientBuilder().vaultUrl(vault.vaultUrl())
                .credential(ctx -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1))))
                .disableChallengeResourceVerification()
                .httpClient(new OkHttpAsyncHttpClientBuilder(ok).build())
                .buildClient();
    }

    /** An RSA key (or new version) of {@code bits} permitting exactly {@code ops}; returns the version's kid. */
    String rsa(String name, int bits, String... ops) {
        return keys.createRsaKey(new CreateRsaKeyOptions(name).setKeySize(bits).setKeyOperations(ops(ops)))
                .getId();
    }

    /** A software-protected {@code oct} key: what a standard Key Vault (not a Managed HSM) cannot offer. */
    String softwareOct(String name) {
        return keys.createOctKey(new CreateOctKeyOptions(name).setHardwareProtected(false)).getId();
    }

    /** Changes the operations a version (named by its full kid) permits, as {@code az keyvault key set-attributes --ops}. */
    void permit(String kid, String... ops) {
        KeyVaultKey k = keys.getKey(name(kid), version(kid));
        keys.updateKeyProperties(k.getProperties(), ops(ops));
    }

    /** The creation time the vault records for the version named by {@code kid} (whole seconds, as Key Vault). */
    OffsetDateTime created(String kid) {
        for (KeyProperties p : keys.listPropertiesOfKeyVersions(name(kid))) {
            if (p.getVersion().equals(version(kid))) {
                return p.getCreatedOn();
            }
        }
        throw new IllegalArgumentException("no version " + kid);
    }

    /** Waits until the wall clock enters a new second, so that the next version's creation time is later. */
    static void nextSecond() throws InterruptedException {
        long now = System.currentTimeMillis();
        Thread.sleep(1000 - now % 1000 + 20);
    }

    static String name(String kid) {
        String[] parts = java.net.URI.create(kid).getPath().split("/");
        return parts[2];
    }

    static String version(String kid) {
        String[] parts = java.net.URI.create(kid).getPath().split("/");
        return parts[3];
    }

    private static KeyOperation[] ops(String... names) {
        List<String> list = Arrays.asList(names);
        return list.stream().map(KeyOperation::fromString).toArray(KeyOperation[]::new);
    }

    KeyVaultTestDouble vault() {
        return vault;
    }
}
