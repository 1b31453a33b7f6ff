package io.dynamicshare.config;

import io.dynamicshare.escrow.EscrowKey;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The provider's configuration: one {@code java.util.Properties} file, named by the provider's
 * configuration argument ({@code Provider.configure}, or {@code security.provider.N=DynamicShare <file>})
 * or by the system property {@value #SYSTEM_PROPERTY}. It names the KEK for new entries and non-secret
 * options; secrets are only ever referenced (an environment variable's name, a file's path).
 * The store's write key is {@code kek} and nothing else; {@code kek.allow} lists the other keys a store may
 * name for reading (docs/SECURITY.md, strict mode). Relative paths are resolved against the file's directory. Unknown keys are refused, so a typo fails
 * loudly. See README "Configuration" for every key.
 *
 * <pre>{@code
 * # dynamicshare.properties
 * kek=https://myvault.vault.azure.net/keys/wallet-kek
 * application=payments-api
 * cache.maxEntries=10000
 * cache.ttlSeconds=300
 * }</pre>
 */
public final class StoreConfig {
    /** System property naming the configuration file when none is given to the provider. */
    public static final String SYSTEM_PROPERTY = "dynamicshare.config";
    /** Environment variable read for the development KEK password when no other source is configured. */
    public static final String DEFAULT_DEVKEK_PASSWORD_ENV = "DYNAMICSHARE_DEVKEK_PASSWORD";

    private static final Set<String> KNOWN = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
            "kek", "kek.allow", "escrow.certificate", "escrow.publicKey", "legacy.format1", "application", "audit.actor", "cache.maxEntries", "cache.ttlSeconds",
            "devkek.file", "devkek.passwordEnv", "devkek.passwordFile",
            "azure.credential", "azure.tenantId", "azure.clientId", "azure.clientSecretFile", "azure.clientSecretEnv",
            "azure.clientCertificateFile", "azure.clientCertificatePasswordEnv", "azure.federatedTokenFile",
            "azure.authorityHost", "azure.disableInstanceDiscovery", "azure.trustStore", "azure.trustStoreType",
            "azure.trustStorePasswordEnv", "azure.trustStorePasswordFile", "azure.disableChallengeResourceVerification", "azure.versionRefreshSeconds",
            "azure.connectTimeoutSeconds", "azure.readTimeoutSeconds", "azure.maxRetries", "azure.retryBaseDelayMillis",
            "azure.retryMaxDelayMillis", "azure.operationTimeoutSeconds",
            "kek.mode", "branchKey.cacheSeconds",
            "db.url", "db.jndi", "db.user", "db.passwordEnv", "db.passwordFile", "db.namespace", "db.poolSize",
            "db.timeoutSeconds", "db.accessTracking", "db.accessFlushSeconds")));

    private final Properties props;
    private final Path baseDir;
    private final String source;
    private final boolean auditActorFromSubject;
    private EscrowKey escrow;

    private StoreConfig(Properties props, Path baseDir, String source, boolean auditActorFromSubject) {
        this.props = props;
        this.baseDir = baseDir;
        this.source = source;
        this.auditActorFromSubject = auditActorFromSubject;
    }

    /** An empty configuration: no KEK for new entries, default options. */
    public static StoreConfig empty() {
        return new StoreConfig(new Properties(), Paths.get("").toAbsolutePath(), "defaults", true);
    }

    /** Reads a configuration file. */
    public static StoreConfig load(Path file) throws ConfigException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file);
             Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read the DynamicShare configuration file " + file + ": " + e, e);
        }
        return of(p, file.toAbsolutePath().getParent(), file.toString());
    }

    /** A configuration from properties; relative paths resolve against {@code baseDir}. */
    public static StoreConfig of(Properties p, Path baseDir, String source) throws ConfigException {
        Properties copy = new Properties();
        for (String key : p.stringPropertyNames()) {
            if (!KNOWN.contains(key)) {
                throw new ConfigException("unknown key '" + key + "' in the DynamicShare configuration " + source);
            }
            copy.setProperty(key, p.getProperty(key).trim());
        }
        StoreConfig c = new StoreConfig(copy, baseDir, source, auditActorFromSubject(copy, source));
        c.cacheMaxEntries();
        c.cacheTtlMillis();
        c.readsFormat1();
        c.hierarchicalMode();
        c.branchKeyCacheMillis();
        c.checkDatabase();
        c.escrow = c.loadEscrow();
        return c;
    }

    /** The file named by {@value #SYSTEM_PROPERTY}, or an empty configuration when it is not set. */
    public static StoreConfig fromSystemProperty() throws ConfigException {
        String file = System.getProperty(SYSTEM_PROPERTY);
        return file == null || file.trim().isEmpty() ? empty() : load(Paths.get(file.trim()));
    }

    /** The KEK reference new entries are wrapped with, or null when none is configured. */
    public String kek() {
        return props.getProperty("kek");
    }

    /**
     * The KEKs a store may name besides {@link #kek()}: {@code kek.allow}, comma-separated key names (any
     * version), exact versions, or vaults ending in {@code /}. Empty when not set. See
     * {@link io.dynamicshare.kek.KekPolicy}.
     */
    public List<String> kekAllow() {
        List<String> out = new ArrayList<>();
        for (String item : props.getProperty("kek.allow", "").split(",")) {
            if (!item.trim().isEmpty()) {
                out.add(item.trim());
            }
        }
        return out;
    }

    /**
     * The offline escrow key every entry written is also wrapped for ({@code escrow.certificate}: an X.509
     * certificate, PEM or DER, the recipient identified by issuer and serial number; or {@code escrow.publicKey}: a
     * bare RSA public key, identified by its subject key identifier), or null when neither is set. Read and
     * checked when the configuration is loaded. See {@link EscrowKey} and README "Escrow".
     */
    public EscrowKey escrow() {
        return escrow;
    }

    private EscrowKey loadEscrow() throws ConfigException {
        String cert = props.getProperty("escrow.certificate");
        String key = props.getProperty("escrow.publicKey");
        if (cert != null && key != null) {
            throw new ConfigException("set escrow.certificate or escrow.publicKey, not both (" + source + ")");
        }
        if (cert == null && key == null) {
            return null;
        }
        boolean bare = cert == null;
        String setting = bare ? "escrow.publicKey" : "escrow.certificate";
        return EscrowKey.load(resolve(bare ? key : cert), bare, setting + " in " + source);
    }

    /**
     * Whether files in container format 1 may be loaded ({@code legacy.format1=read}); the default,
     * {@code refuse}, refuses them. A format-1 file can be forged by anyone who knows an RSA KEK's public key,
     * so reading one is a deliberate, one-off migration step: load, store (which writes format 2), then remove
     * the setting (docs/SECURITY.md).
     */
    public boolean readsFormat1() throws ConfigException {
        String v = props.getProperty("legacy.format1", "refuse");
        if (v.equals("refuse") || v.equals("read")) {
            return v.equals("read");
        }
        throw new ConfigException("legacy.format1 must be 'refuse' or 'read', got '" + v + "' (" + source + ")");
    }

    /**
     * How new entries wrap their data key ({@code kek.mode}): {@code direct}, by the KEK itself (the vault sees and
     * logs every wallet's unwrap; a cold read is one vault call), or {@code hierarchical}, locally under the store's
     * branch key (a cold read is no vault call once the branch key is cached; docs/SECURITY.md "Direct and
     * hierarchical mode"). Entries of either kind are read in both modes.
     *
     * @return TRUE for hierarchical, FALSE for direct, null when not set (the backend's default: direct for a file, hierarchical for a database)
     * @throws ConfigException for any other value
     */
    public Boolean hierarchicalMode() throws ConfigException {
        String v = props.getProperty("kek.mode");
        if (v == null) {
            return null;
        }
        if (v.equals("direct") || v.equals("hierarchical")) {
            return v.equals("hierarchical");
        }
        throw new ConfigException("kek.mode must be 'direct' or 'hierarchical', got '" + v + "' (" + source + ")");
    }

    /**
     * How long an unwrapped branch key version is used before it is unwrapped again ({@code branchKey.cacheSeconds},
     * default 300): the longest a vault outage goes unnoticed by hierarchical reads, and at most one vault call per
     * version per process in that time.
     */
    public long branchKeyCacheMillis() throws ConfigException {
        return number("branchKey.cacheSeconds", 300, 1, Long.MAX_VALUE / 1_000_000_000L) * 1000L;
    }

    /** The actor recorded in audit events when the caller runs as no Subject. */
    public String application() {
        return props.getProperty("application", "application");
    }

    /**
     * Whether audit events name the caller's {@code Subject} ({@code audit.actor=subject}, the default) or
     * always the {@link #application()} identity ({@code audit.actor=application}). The second is for
     * applications that never run code as a {@code Subject}: on Java 17 and older, finding the current
     * {@code Subject} walks the caller's stack (about 1 µs per operation, more under deep app-server stacks).
     */
    public boolean auditActorFromSubject() {
        return auditActorFromSubject;
    }

    private static boolean auditActorFromSubject(Properties p, String source) throws ConfigException {
        String v = p.getProperty("audit.actor", "subject");
        if (v.equals("subject")) {
            return true;
        }
        if (v.equals("application")) {
            return false;
        }
        throw new ConfigException("audit.actor must be 'subject' or 'application', got '" + v + "' (" + source + ")");
    }

    public int cacheMaxEntries() throws ConfigException {
        return (int) number("cache.maxEntries", 10_000, 0, Integer.MAX_VALUE);
    }

    public long cacheTtlMillis() throws ConfigException {
        return number("cache.ttlSeconds", 300, 1, Long.MAX_VALUE / 1_000_000_000L) * 1000L;
    }

    /**
     * True when a database store is configured ({@code db.url} or {@code db.jndi}): {@code load(null, null)} then
     * opens it, as a PKCS#11 KeyStore opens its token. See {@code io.dynamicshare.store.DatabaseStoreParameter}.
     */
    public boolean hasDatabase() {
        return props.getProperty("db.url") != null || props.getProperty("db.jndi") != null;
    }

    /** The database store's namespace ({@code db.namespace}, default {@code default}). */
    public String dbNamespace() {
        return props.getProperty("db.namespace", "default");
    }

    /** Connections in the store's own pool ({@code db.poolSize}, 1 to 1000, default 10). */
    public int dbPoolSize() throws ConfigException {
        return (int) number("db.poolSize", 10, 1, 1000);
    }

    /** The deadline of every database call, in seconds ({@code db.timeoutSeconds}, 1 to 3600, default 10). */
    public int dbTimeoutSeconds() throws ConfigException {
        return (int) number("db.timeoutSeconds", 10, 1, 3600);
    }

    /** {@code db.accessTracking}: {@code off}, {@code sync} or {@code batched} (the default). */
    public String dbAccessTracking() throws ConfigException {
        String v = props.getProperty("db.accessTracking", "batched");
        if (v.equals("off") || v.equals("sync") || v.equals("batched")) {
            return v;
        }
        throw new ConfigException("db.accessTracking must be 'off', 'sync' or 'batched', got '" + v + "' (" + source
                + ")");
    }

    /** How often batched access counts are flushed, in seconds ({@code db.accessFlushSeconds}, default 10). */
    public int dbAccessFlushSeconds() throws ConfigException {
        return (int) number("db.accessFlushSeconds", 10, 1, 86_400);
    }

    /**
     * The database password from {@code db.passwordFile} or the environment variable {@code db.passwordEnv}; null
     * when neither is configured (the server authenticates otherwise: peer, certificate). Never from this file.
     */
    public char[] dbPassword() throws ConfigException {
        Path file = path("db.passwordFile");
        String env = props.getProperty("db.passwordEnv");
        return file == null && env == null ? null : Secrets.read(file, env, "the database password");
    }

    private void checkDatabase() throws ConfigException {
        if (props.getProperty("db.url") != null && props.getProperty("db.jndi") != null) {
            throw new ConfigException("set db.url or db.jndi, not both (" + source + ")");
        }
        String url = props.getProperty("db.url");
        if (url != null && url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
            throw new ConfigException("db.url must not carry a password: put it in the environment variable named by "
                    + "db.passwordEnv or the file named by db.passwordFile (" + source + ")");
        }
        dbPoolSize();
        dbTimeoutSeconds();
        dbAccessTracking();
        dbAccessFlushSeconds();
    }

    /** The development KEK file, or null. */
    public Path devKekFile() {
        String f = props.getProperty("devkek.file");
        return f == null ? null : resolve(f);
    }

    /** Reads the development KEK password from the configured file or environment variable. */
    public char[] devKekPassword() throws ConfigException {
        return Secrets.read(props.getProperty("devkek.passwordFile") == null ? null
                        : resolve(props.getProperty("devkek.passwordFile")),
                props.getProperty("devkek.passwordEnv", DEFAULT_DEVKEK_PASSWORD_ENV), "the development KEK password");
    }

    /** A raw option (used by key services for their own {@code azure.*} keys), or null. */
    public String get(String key) {
        return props.getProperty(key);
    }

    /** A path option resolved against the configuration's directory, or null. */
    public Path path(String key) {
        String v = props.getProperty(key);
        return v == null ? null : resolve(v);
    }

    /** Where this configuration came from, for messages. */
    public String source() {
        return source;
    }

    private Path resolve(String path) {
        Path p = Paths.get(path);
        return p.isAbsolute() ? p : baseDir.resolve(p).normalize();
    }

    private long number(String key, long dflt, long min, long max) throws ConfigException {
        String v = props.getProperty(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number from " + min + " to " + max + ", got '" + v
                    + "' (" + source + ")");
        }
    }

    @Override
    public String toString() {
        // Only non-secret values live in the properties; secrets are referenced, never inlined.
        return "StoreConfig{" + source + ", " + props + "}";
    }
}
