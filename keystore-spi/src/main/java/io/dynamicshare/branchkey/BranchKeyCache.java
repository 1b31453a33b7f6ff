package io.dynamicshare.branchkey;

import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.storekey.KeyPurpose;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;
import io.dynamicshare.storekey.StoreKeyException;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Unwrapped branch key versions, shared by every store one provider opens: each version is unwrapped at most once
 * per {@code branchKey.cacheSeconds} (one vault {@code unwrapKey}, single flight: concurrent readers of a cold
 * version wait for one unwrap), then every wrap and unwrap under it is local. A version is keyed by store id,
 * version and the commitment in its block, so a reloaded store finds its versions still unwrapped, and a block
 * that commits to another key is never served this one.
 *
 * <p>Expiry: a version is served for {@code ttl} after its unwrap; expired versions are zeroed at the next miss of
 * any version, at {@link #clear}, or when {@link #MAX_VERSIONS} is reached. A reader that gets a version zeroed
 * under it retries with a fresh unwrap ({@link #use}), so it never uses a half-zeroed key. During a vault outage,
 * reads of every wallet keep working until the versions they need expire.
 *
 * <pre>{@code
 * BranchKeyCache cache = new BranchKeyCache(300_000);
 * byte[] dek = cache.use(block, storeId, keks, k -> k.unwrap(recipient, alias));
 * }</pre>
 */
public final class BranchKeyCache {
    /** Most versions held at once, across stores. */
    static final int MAX_VERSIONS = 4096;

    /** What runs with an unwrapped version; must not keep it. */
    public interface Use<T> {
        T apply(BranchKey key) throws java.security.GeneralSecurityException;
    }

    private static final class Slot {
        volatile BranchKey key;
        volatile long expiresAt;
    }

    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /** @param ttlMillis how long a version is served after its unwrap, at least 1 */
    public BranchKeyCache(long ttlMillis) {
        this(ttlMillis, System::nanoTime);
    }

    BranchKeyCache(long ttlMillis, LongSupplier nanoClock) {
        if (ttlMillis < 1) {
            throw new IllegalArgumentException("branch key cache ttl must be at least 1 ms");
        }
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis);
        this.clock = nanoClock;
    }

    /**
     * Runs {@code use} with the version {@code block} anchors, unwrapping it first if it is not cached (or expired).
     *
     * @throws StoreKeyException if the block is not anchored, or made for another purpose, store or version
     * @throws KekException if the key service failed, or the configuration does not allow the block's KEK
     */
    public <T> T use(StoreKeyBlock block, byte[] storeId, TrustedKeks keks, Use<T> use)
            throws java.security.GeneralSecurityException {
        for (int attempt = 0; ; attempt++) {
            BranchKey k = get(block, storeId, keks);
            try {
                return use.apply(k);
            } catch (IllegalStateException destroyedMeanwhile) {
                if (attempt == 2) {
                    throw destroyedMeanwhile;
                }
            }
        }
    }

    /** Adopts a version this process just made (no unwrap needed); the cache then owns and zeroes it. */
    void adopt(StoreKeyBlock block, byte[] storeId, BranchKey key) {
        Slot s = slots.computeIfAbsent(id(storeId, block), x -> new Slot());
        synchronized (s) {
            BranchKey old = s.key;
            s.key = key;
            s.expiresAt = clock.getAsLong() + ttlNanos;
            if (old != null && old != key) {
                old.destroy();
            }
        }
    }

    private BranchKey get(StoreKeyBlock block, byte[] storeId, TrustedKeks keks)
            throws KekException, StoreKeyException {
        String id = id(storeId, block);
        Slot s = slots.get(id);
        if (s != null) {
            BranchKey k = s.key;
            if (k != null && clock.getAsLong() - s.expiresAt < 0 && !k.isDestroyed()) {
                return k;
            }
        }
        dropExpired();
        s = slots.computeIfAbsent(id, x -> new Slot());
        synchronized (s) {
            BranchKey k = s.key;
            long now = clock.getAsLong();
            if (k != null && now - s.expiresAt < 0 && !k.isDestroyed()) {
                return k;
            }
            BranchKey fresh = new BranchKey(StoreKeyAnchor.open(KeyPurpose.BRANCH_KEY, block, storeId, keks));
            s.key = fresh;
            s.expiresAt = clock.getAsLong() + ttlNanos;
            if (k != null) {
                k.destroy();
            }
            return fresh;
        }
    }

    /** Zeroes and forgets expired versions; if still at the bound, every version. */
    private void dropExpired() {
        long now = clock.getAsLong();
        for (Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator(); it.hasNext(); ) {
            Slot s = it.next().getValue();
            synchronized (s) {
                if (s.key != null && now - s.expiresAt >= 0) {
                    s.key.destroy();
                    s.key = null;
                    it.remove();
                }
            }
        }
        if (slots.size() >= MAX_VERSIONS) {
            clear();
        }
    }

    /** Zeroes and forgets every version. */
    public void clear() {
        for (Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator(); it.hasNext(); ) {
            Slot s = it.next().getValue();
            synchronized (s) {
                if (s.key != null) {
                    s.key.destroy();
                    s.key = null;
                }
                it.remove();
            }
        }
    }

    /** Versions held now (expired ones not yet dropped included); for tests and stats. */
    public int size() {
        int n = 0;
        for (Slot s : slots.values()) {
            if (s.key != null) {
                n++;
            }
        }
        return n;
    }

    /** The clock, in nanoseconds. */
    long now() {
        return clock.getAsLong();
    }

    /** How long a version is served after its unwrap, in nanoseconds. */
    long ttlNanos() {
        return ttlNanos;
    }

    static String id(byte[] storeId, StoreKeyBlock block) {
        StringBuilder b = new StringBuilder(120);
        hex(b, storeId);
        b.append('/').append(block.epoch()).append('/');
        hex(b, block.commitment());
        return b.toString();
    }

    private static void hex(StringBuilder b, byte[] bytes) {
        for (byte x : bytes) {
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
    }
}
