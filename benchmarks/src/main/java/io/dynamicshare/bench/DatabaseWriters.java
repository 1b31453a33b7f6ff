package io.dynamicshare.bench;

import io.dynamicshare.bench.state.DevKek;
import io.dynamicshare.bench.state.Wallets;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.jdbc.JdbcSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Write throughput of the PostgreSQL store from one JVM and from two JVMs at once, measured in the same run on the
 * same server (BENCHMARKS.md "Database writers"): each writer JVM opens the store and calls setEntry on its own
 * wallets, one thread, for a fixed time, and prints how many writes were committed. The figure is the ratio of the
 * two JVMs' total to the one JVM's.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.dynamicshare.bench.DatabaseWriters 20
 * </pre>
 */
public final class DatabaseWriters {
    private DatabaseWriters() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("writer")) {
            writer(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             DevKek kek = new DevKek(new Properties(), WrapAlgorithm.RSA_OAEP_256)) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            JdbcSchema.init(pg.getPostgresDatabase());
            Path config = kek.dir.resolve("dynamicshare.properties");
            long one = run(url, config, 1, seconds, 0);
            long two = run(url, config, 2, seconds, 10);
            System.out.printf("1 JVM : %,d writes in %d s = %.0f/s%n", one, seconds, one / (double) seconds);
            System.out.printf("2 JVMs: %,d writes in %d s = %.0f/s (%.2fx one JVM)%n", two, seconds,
                    two / (double) seconds, two / (double) one);
        }
    }

    /** Starts {@code jvms} writer processes together and returns their committed writes. */
    private static long run(String url, Path config, int jvms, int seconds, int firstId) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of(DatabaseWriters.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < jvms; i++) {
            ps.add(new ProcessBuilder(java, "-cp", jar, DatabaseWriters.class.getName(), "writer", url,
                    config.toString(), String.valueOf(seconds), String.valueOf(firstId + i))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        long total = 0;
        for (Process p : ps) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String last = null;
                for (String line; (line = r.readLine()) != null; ) {
                    last = line;
                }
                if (p.waitFor() != 0 || last == null) {
                    throw new IllegalStateException("a writer JVM failed (exit " + p.exitValue() + ")");
                }
                total += Long.parseLong(last.trim());
            }
        }
        return total;
    }

    /** One writer JVM: 32 wallets of its own, written round-robin for 2 s of warm-up and then {@code seconds}. */
    private static void writer(String url, Path config, int seconds, int id) throws Exception {
        io.dynamicshare.store.StoreContext ctx = io.dynamicshare.store.StoreContext.of(
                io.dynamicshare.config.StoreConfig.load(config));
        try (DynamicShareKeyStore ks = new io.dynamicshare.provider.DynamicShareProvider(ctx).newKeyStore()) {
            ks.load(DatabaseStoreParameter.url(url, "writers"));
            java.security.KeyStore.SecretKeyEntry[] entries = new java.security.KeyStore.SecretKeyEntry[32];
            String[] aliases = new String[entries.length];
            for (int i = 0; i < entries.length; i++) {
                Wallets.Wallet w = Wallets.wallet(1024, id * 1000 + i);
                aliases[i] = w.alias();
                entries[i] = WalletEntry.of(w.shares(), w.metadata());
            }
            long warm = System.nanoTime() + 2_000_000_000L;
            int i = 0;
            while (System.nanoTime() < warm) {
                ks.setEntry(aliases[i % aliases.length], entries[i++ % entries.length], null);
            }
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long n = 0;
            while (System.nanoTime() < end) {
                ks.setEntry(aliases[i % aliases.length], entries[i++ % entries.length], null);
                n++;
            }
            System.out.println(n);
        }
    }
}
