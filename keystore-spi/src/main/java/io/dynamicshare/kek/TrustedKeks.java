package io.dynamicshare.kek;

import java.util.ArrayList;
import java.util.List;

/**
 * The only way the store reaches a {@link Kek}: ids read from a store go through the {@link KekPolicy} first,
 * and writes use the configured write key and nothing else.
 *
 * <pre>{@code
 * TrustedKeks keks = new TrustedKeks(resolver, policy);
 * Kek write = keks.writeKek("alias 'x': ");            // KekException when 'kek' is not set
 * byte[] dek = keks.unwrapAny(entry.recipients());     // only allowed recipients are tried
 * }</pre>
 */
public final class TrustedKeks {
    private final KekResolver resolver;
    private final KekPolicy policy;

    public TrustedKeks(KekResolver resolver, KekPolicy policy) {
        this.resolver = resolver;
        this.policy = policy;
    }

    public KekPolicy policy() {
        return policy;
    }

    /** True when a write key is configured; otherwise the store is read-only. */
    public boolean writable() {
        return policy.writeKek() != null;
    }

    /**
     * The configured write key.
     *
     * @throws KekException if none is configured (read-only) or its key service cannot open it
     */
    public Kek writeKek() throws KekException {
        if (policy.writeKek() == null) {
            throw new KekException("(none)", "the store is read-only: no write KEK is configured. Set 'kek' in the "
                    + "DynamicShare configuration to write; a store never chooses its own write key");
        }
        return resolver.resolve(policy.writeKek());
    }

    /**
     * The key for an id read from a store, after the policy allowed it.
     *
     * @throws KekNotAllowedException before any key service is contacted, if the id is not allowed
     */
    public Kek forId(KekId id) throws KekException {
        policy.check(id);
        return resolver.resolve(id.value());
    }

    /**
     * Unwraps with the first allowed recipient that answers. Recipients the policy does not allow are never
     * contacted.
     *
     * @return what was wrapped; the caller checks its length and zeroes it
     * @throws KekNotAllowedException if no recipient is allowed
     * @throws KekException the last failure when every allowed recipient failed
     */
    public byte[] unwrapAny(List<WrappedKey> recipients) throws KekException {
        KekException last = null;
        List<String> refused = new ArrayList<>();
        for (WrappedKey w : recipients) {
            if (!policy.allows(w.kekId())) {
                refused.add(w.kekId().value());
                continue;
            }
            try {
                return resolver.resolve(w.kekId().value()).unwrap(w);
            } catch (KekException e) {
                last = e;
            }
        }
        if (last != null) {
            throw last;
        }
        policy.check(KekId.of(refused.get(0)));
        throw new IllegalStateException("a recipient list is never empty");
    }
}
