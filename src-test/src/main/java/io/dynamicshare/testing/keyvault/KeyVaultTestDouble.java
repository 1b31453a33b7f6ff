package io.dynamicshare.testing.keyvault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * An in-process Azure Key Vault (keys API subset) over real HTTPS on {@code 127.0.0.1}, for tests that drive the
 * real Azure SDK. Each instance has its own throw-away CA, port, keys, counters and faults; it is safe to use
 * from many threads.
 *
 * <pre>{@code
 * try (KeyVaultTestDouble vault = KeyVaultTestDouble.start()) {
 *     String kid = vault.createRsaKey("kek", 2048);
 *     X509TrustManager tm = vault.trustManager();
 *     OkHttpClient ok = new OkHttpClient.Builder()
 *             .sslSocketFactory(vault.clientSslContext().getSocketFactory(), tm).build();
 *     CryptographyClient crypto = new CryptographyClientBuilder()
 *             .keyIdentifier(kid)
 *             .credential(ctx -> Mono.just(new AccessToken("t", OffsetDateTime.now().plusHours(1))))
 *             .disableChallengeResourceVerification()
 *             .httpClient(new OkHttpAsyncHttpClientBuilder(ok).build())
 *             .buildClient();
 *     byte[] wrapped = crypto.wrapKey(KeyWrapAlgorithm.RSA_OAEP_256, dek).getEncryptedKey();
 *     assertEquals(1, vault.calls(Operation.WRAP_KEY));
 * }
 * }</pre>
 *
 * <p>Convenience methods ({@link #createRsaKey}, {@link #setEnabled}, ...) act on the store directly and are not
 * counted as calls.
 */
public final class KeyVaultTestDouble implements AutoCloseable {

    /** {@code api-version} values accepted (all {@code KeyServiceVersion}s of SDK 4.12.x; 2025-07-01 is its default). */
    public static final List<String> SUPPORTED_API_VERSIONS = Router.API_VERSIONS;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final TlsMaterial tls;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final String vaultUrl;
    private final KeyRegistry registry = new KeyRegistry();
    private final Faults faults = new Faults();
    private final CallCounters counters = new CallCounters();
    private final AuthSettings auth;
    private final AtomicBoolean closed = new AtomicBoolean();

    private KeyVaultTestDouble() throws IOException {
        this.tls = TlsMaterial.generate();
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        SSLContext serverContext = tls.serverContext();
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = serverContext.getDefaultSSLParameters();
                p.setProtocols(TlsMaterial.PROTOCOLS);
                params.setSSLParameters(p);
            }
        });
        this.vaultUrl = "https://127.0.0.1:" + server.getAddress().getPort();
        this.auth = new AuthSettings(vaultUrl);
        Router router = new Router(new VaultApi(registry, vaultUrl), new TokenEndpoint(auth, vaultUrl), auth,
                faults, counters);
        server.createContext("/", router);
        int id = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "kv-double-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true); // never keep a test JVM alive
            return t;
        };
        // Unbounded pool: injected latency sleeps in handler threads and must not serialize concurrent clients.
        this.executor = Executors.newCachedThreadPool(tf);
        server.setExecutor(executor);
        server.start();
    }

    /** Starts a double on an ephemeral port of 127.0.0.1 with fresh TLS material. */
    public static KeyVaultTestDouble start() {
        try {
            return new KeyVaultTestDouble();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the Key Vault test double", e);
        }
    }

    /** Vault base URL, e.g. {@code https://127.0.0.1:54321} (no trailing slash). */
    public String vaultUrl() {
        return vaultUrl;
    }

    /**
     * The emulated App Service managed-identity endpoint, for {@code IDENTITY_ENDPOINT} (with
     * {@code IDENTITY_HEADER} = {@link AuthSettings#identityHeader()}): what azure-identity's
     * ManagedIdentityCredential calls outside Azure when those two variables are set.
     */
    public String appServiceIdentityEndpoint() {
        return vaultUrl + "/msi/token";
    }

    /**
     * The base URL of the emulated IMDS token endpoint ({@code /metadata/identity/oauth2/token}), for
     * {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}.
     */
    public String imdsAuthorityHost() {
        return vaultUrl;
    }

    /** The CA that issued the server certificate; trust it and only it. */
    public X509Certificate caCertificate() {
        return tls.caCertificate();
    }

    /** The server certificate (SAN IP 127.0.0.1, DNS localhost). */
    public X509Certificate serverCertificate() {
        return tls.serverCertificate();
    }

    /** A fresh in-memory PKCS12 key store containing the CA as a trusted certificate entry. */
    public KeyStore trustStore() {
        return tls.trustStore();
    }

    /** Writes {@link #trustStore()} as a PKCS12 file (new unique name) in {@code dir} and returns its path. */
    public Path writeTrustStore(Path dir, char[] password) {
        return tls.writeTrustStore(dir, password);
    }

    /** Trust manager that trusts only this double's CA (what OkHttp's {@code sslSocketFactory} needs). */
    public X509TrustManager trustManager() {
        return tls.trustManager();
    }

    /** Client {@link SSLContext} trusting only this double's CA. */
    public SSLContext clientSslContext() {
        return tls.clientContext();
    }

    /** Fault injection and the permission switch. */
    public Faults faults() {
        return faults;
    }

    /** Authentication behaviour (challenge contents, accepted tokens, token endpoint credentials). */
    public AuthSettings auth() {
        return auth;
    }

    // ---- counters ----

    /** Requests routed to {@code operation} (see {@link Operation}), whatever their outcome. */
    public long calls(String operation) {
        return counters.calls(operation);
    }

    /** Requests to {@code operation} answered with a 2xx status. */
    public long successfulCalls(String operation) {
        return counters.successes(operation);
    }

    /** 401 challenges sent to requests that carried no bearer token. */
    public long challenges() {
        return counters.challenges();
    }

    /** All non-zero call counters, by operation name (sorted). */
    public Map<String, Long> callCounts() {
        return counters.snapshot();
    }

    public void resetCounters() {
        counters.reset();
    }

    // ---- convenience for tests (not counted) ----

    /** Creates an RSA key (or a new version of it) with {@code bits} 2048/3072/4096; returns the full kid. */
    public String createRsaKey(String name, int bits) {
        return kid(local(() -> registry.create(name,
                new KeyRegistry.CreateSpec("RSA", bits, null, null, null, null, null))));
    }

    /** Creates a 256-bit oct-HSM key (or a new version of it); returns the full kid. */
    public String createOctHsmKey(String name) {
        return kid(local(() -> registry.create(name,
                new KeyRegistry.CreateSpec("oct-HSM", 256, null, null, null, null, null))));
    }

    /** Rotates {@code name}: a new version with the type, size and key operations of the newest one. */
    public String newVersion(String name) {
        return kid(local(() -> {
            KeyVersion latest = registry.latest(name);
            return registry.create(name, new KeyRegistry.CreateSpec(latest.kty, latest.keySize,
                    latest.snapshot().keyOps(), null, null, null, null));
        }));
    }

    /** Enables/disables the version named by {@code kid} (a version-less kid means the newest version). */
    public void setEnabled(String kid, boolean enabled) {
        version(kid).update(enabled, null, null, null, null, System.currentTimeMillis() / 1000);
    }

    /** Sets the expiry ({@code exp}, Unix seconds) of the version named by {@code kid}. */
    public void setExpires(String kid, long epochSeconds) {
        version(kid).update(null, null, epochSeconds, null, null, System.currentTimeMillis() / 1000);
    }

    /** Soft-deletes the key (all versions); afterwards every operation on it answers 404 KeyNotFound. */
    public void deleteKey(String name) {
        local(() -> registry.delete(name));
    }

    /** Shortcut for {@code faults().deny(name, operation)}. */
    public void deny(String name, String operation) {
        faults.deny(name, operation);
    }

    /** The RSA public key of the version named by {@code kid}. */
    public RSAPublicKey publicKey(String kid) {
        return version(kid).rsaPublic();
    }

    /** Kid of the newest version of {@code name}. */
    public String latestKid(String name) {
        return kid(local(() -> registry.latest(name)));
    }

    /** Stops the server immediately and releases its threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "KeyVaultTestDouble[" + vaultUrl + "]";
    }

    private String kid(KeyVersion v) {
        return JsonShapes.kid(vaultUrl, v);
    }

    private KeyVersion version(String kid) {
        String path = URI.create(kid).getPath();
        String[] parts = path.split("/");
        // ["", "keys", name] or ["", "keys", name, version]
        if (parts.length < 3 || !parts[1].equals("keys")) {
            throw new IllegalArgumentException("Not a key identifier: " + kid);
        }
        return local(() -> registry.get(parts[2], parts.length > 3 ? parts[3] : null));
    }

    /** Convenience methods report vault errors (unknown key, bad size...) as plain IllegalArgumentExceptions. */
    private static <T> T local(Supplier<T> action) {
        try {
            return action.get();
        } catch (VaultError e) {
            throw new IllegalArgumentException(e.code + ": " + e.getMessage(), e);
        }
    }
}
