package io.dynamicshare.bench;

import io.dynamicshare.bench.state.DevKek;
import io.dynamicshare.bench.state.Wallets;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.jdbc.JdbcSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL store at scale (README "PostgreSQL store"; BENCHMARKS.md "Database scale"): fills one namespace with
 * {@code small} wallets and another with {@code large} (small Ed25519 shares, 1 KB), then, for each, on a fresh
 * KeyStore: the time and heap a {@code load} takes, the peak live heap while {@code aliases()} walks every alias, and
 * getEntry latency (cold: first read of a wallet; warm: read again). Load time is the median of 7 loads. Exits 1 if load time or memory grows with the
 * row count (more than 3x the small store's load time and 16 MiB more heap), or if aliases() does not return every
 * row. Not part of {@code mvn verify}: filling a million rows takes minutes.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package -pl benchmarks -am
 * java -Xmx512m -cp benchmarks/target/benchmarks.jar io.dynamicshare.bench.DatabaseScale 1000 1000000
 * </pre>
 */
public final class DatabaseScale {
    private static final int SIZE = 1024;
    private static final int SAMPLES = 2000;
    private static final int LOADS = 7;

    private DatabaseScale() {
    }

    public static void main(String[] args) throws Exception {
        int small = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int large = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Properties config = new Properties();
        config.setProperty("cache.maxEntries", "10000");
        // A scale run measures the store, not the disk: no fsync (never do this with real data).
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off").setServerConfig("full_page_writes", "off").start();
             DevKek kek = new DevKek(config, WrapAlgorithm.AES_KW_256)) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            JdbcSchema.init(pg.getPostgresDatabase());
            fill(kek, url, "small", small);
            fill(kek, url, "large", large);
            Figures s = measure(kek, url, "small", small);
            Figures l = measure(kek, url, "large", large);
            System.out.println(Figures.HEADER);
            System.out.println(s);
            System.out.println(l);
            boolean ok = l.loadMillis <= Math.max(3 * s.loadMillis, 50) && l.loadHeap - s.loadHeap < 16 << 20
                    && l.aliasesPeakHeap - s.aliasesPeakHeap < 16 << 20 && l.aliases == large && s.aliases == small;
            System.out.println(ok ? "OK: load time and memory do not grow with the row count; aliases() streams"
                    : "FAILED: load or aliases() grows with the row count");
            System.exit(ok ? 0 : 1);
        }
    }

    /** Writes {@code n} wallets into {@code namespace} through setEntry, two writers; skips it when already full. */
    private static void fill(DevKek kek, String url, String namespace, int n) throws Exception {
        long t0 = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        try (DynamicShareKeyStore ks = kek.provider.newKeyStore()) {
            ks.load(DatabaseStoreParameter.url(url, namespace).withPoolSize(threads)
                    .withAccessTracking(DatabaseStoreParameter.AccessTracking.OFF, 1));
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        Wallets.Wallet w = Wallets.wallet(SIZE, i);
                        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
                        if (i > 0 && i % 100_000 == 0) {
                            System.out.printf("  %s: %,d rows, %.0f s%n", namespace, i, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        System.out.printf("filled %s: %,d wallets in %.0f s%n", namespace, n, (System.nanoTime() - t0) / 1e9);
    }

    private static Figures measure(DevKek kek, String url, String namespace, int n) throws Exception {
        Figures f = new Figures(namespace, n);
        long[] loads = new long[LOADS];
        for (int i = 0; i < LOADS; i++) { // the median of several loads: the first ones also warm the JIT
            long t0 = System.nanoTime();
            try (DynamicShareKeyStore ks = open(kek, url, namespace)) {
                loads[i] = (System.nanoTime() - t0) / 1_000_000;
            }
        }
        f.loadMillis = median(loads);
        gc();
        long heap0 = usedHeap();
        DynamicShareKeyStore ks = open(kek, url, namespace);
        gc();
        f.loadHeap = usedHeap() - heap0;
        f.size = ks.size();
        // The live heap while the walk is under way (after a full GC every 100,000 aliases, and at the end): what
        // the walk holds, not the garbage its pages leave for the young generation.
        long peak = 0;
        int count = 0;
        for (Enumeration<String> e = ks.aliases(); e.hasMoreElements(); e.nextElement()) {
            if (++count % 100_000 == 0) {
                System.gc();
                peak = Math.max(peak, usedHeap() - heap0);
            }
        }
        f.aliases = count;
        System.gc();
        f.aliasesPeakHeap = Math.max(peak, usedHeap() - heap0);
        long[] cold = new long[SAMPLES];
        long[] warm = new long[SAMPLES];
        int[] picked = ThreadLocalRandom.current().ints(SAMPLES, 0, n).distinct().toArray();
        for (int i = 0; i < picked.length; i++) {
            String alias = Wallets.wallet(SIZE, picked[i]).alias();
            cold[i] = timedGet(ks, alias);
            warm[i] = timedGet(ks, alias);
        }
        f.coldMicros = median(Arrays.copyOf(cold, picked.length));
        f.warmMicros = median(Arrays.copyOf(warm, picked.length));
        ks.close();
        return f;
    }

    private static DynamicShareKeyStore open(DevKek kek, String url, String namespace) throws Exception {
        DynamicShareKeyStore ks = kek.provider.newKeyStore();
        ks.load(DatabaseStoreParameter.url(url, namespace).withPoolSize(2)
                .withAccessTracking(DatabaseStoreParameter.AccessTracking.OFF, 1));
        return ks;
    }

    private static long timedGet(DynamicShareKeyStore ks, String alias) throws Exception {
        long t = System.nanoTime();
        KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(alias, null);
        long micros = (System.nanoTime() - t) / 1000;
        if (e == null) {
            throw new IllegalStateException("no wallet under " + alias);
        }
        e.getSecretKey().destroy();
        return micros;
    }

    private static long median(long[] v) {
        Arrays.sort(v);
        return v[v.length / 2];
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
    }

    private static long usedHeap() {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }

    /** One store's figures. */
    private static final class Figures {
        static final String HEADER = String.format("%-6s %10s %10s %12s %16s %12s %12s", "store", "rows", "load ms",
                "load heap KiB", "aliases() peak KiB", "cold get us", "warm get us");
        final String name;
        final int rows;
        long loadMillis;
        long loadHeap;
        int size;
        int aliases;
        long aliasesPeakHeap;
        long coldMicros;
        long warmMicros;

        Figures(String name, int rows) {
            this.name = name;
            this.rows = rows;
        }

        @Override
        public String toString() {
            return String.format("%-6s %,10d %10d %12d %16d %12d %12d", name, rows, loadMillis, loadHeap / 1024,
                    aliasesPeakHeap / 1024, coldMicros, warmMicros);
        }
    }
}
