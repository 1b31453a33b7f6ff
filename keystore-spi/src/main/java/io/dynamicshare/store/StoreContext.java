package io.dynamicshare.store;

import io.dynamicshare.audit.AuditSink;
import io.dynamicshare.audit.JulAuditSink;
import io.dynamicshare.branchkey.BranchKeyCache;
import io.dynamicshare.cache.DataKeyCache;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.ConfiguredKekResolver;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.KekPolicy;
import io.dynamicshare.kek.KekResolver;
import io.dynamicshare.kek.TrustedKeks;

import java.util.Objects;

/**
 * What every store opened through one provider shares: its configuration, the key services (behind the
 * configuration's KEK policy), the data-key cache and the audit sink.
 *
 * <pre>{@code
 * StoreContext ctx = StoreContext.of(StoreConfig.load(Paths.get("dynamicshare.properties")));
 * }</pre>
 */
public final class StoreContext {
    private final StoreConfig config;
    private final KekResolver resolver;
    private final DataKeyCache cache;
    private final AuditSink audit;
    private final TrustedKeks keks;
    private final BranchKeyCache branchKeys;

    public StoreContext(StoreConfig config, KekResolver resolver, DataKeyCache cache, AuditSink audit) {
        this(config, resolver, cache, audit, newBranchKeyCache(config));
    }

    private StoreContext(StoreConfig config, KekResolver resolver, DataKeyCache cache, AuditSink audit,
                         BranchKeyCache branchKeys) {
        this.config = Objects.requireNonNull(config, "config");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.keks = new TrustedKeks(resolver, KekPolicy.of(config.kek(), config.kekAllow(), config.source()));
        this.branchKeys = branchKeys;
    }

    private static BranchKeyCache newBranchKeyCache(StoreConfig config) {
        try {
            return new BranchKeyCache(config.branchKeyCacheMillis());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e); // StoreConfig.of already checked it
        }
    }

    /** The defaults for a configuration: its key services, a cache sized by it, audit to java.util.logging. */
    public static StoreContext of(StoreConfig config) throws ConfigException {
        return new StoreContext(config, KeyServices.resolverFor(config),
                new DataKeyCache(config.cacheMaxEntries(), config.cacheTtlMillis()), new JulAuditSink());
    }

    /** Unwrapped branch key versions (hierarchical mode), shared by the stores of this context. */
    public BranchKeyCache branchKeys() {
        return branchKeys;
    }

    public StoreConfig config() {
        return config;
    }

    public KekResolver resolver() {
        return resolver;
    }

    /** The key services as the configuration allows them to be used (strict mode: docs/SECURITY.md). */
    public TrustedKeks keks() {
        return keks;
    }

    public DataKeyCache cache() {
        return cache;
    }

    public AuditSink audit() {
        return audit;
    }

    /** The same context with another audit sink. */
    public StoreContext withAudit(AuditSink sink) {
        return new StoreContext(config, resolver, cache, sink, branchKeys);
    }
}
