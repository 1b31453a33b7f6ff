package io.dynamicshare.backend;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.it.DevStores;
import io.dynamicshare.it.Fixtures;
import io.dynamicshare.kek.WrapAlgorithm;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A1 against the branch key rows (docs/SECURITY.md section 9, "In a database"): plain SQL on
 * {@code dynamicshare_branch_key}, every public key known, no vault. A planted block, a block moved to another
 * version or store, and a deleted version are refused by name when a fresh instance needs that version; no key
 * from a forged block is ever used, and wallets under the other versions still read.
 */
class BranchKeyRowAttackTest {
    @TempDir
    Path dir;
    DevStores dev;
    Target.Database db;
    KeyStore victim;
    KeyStore other;
    final Fixtures.Wallet a = Fixtures.WALLETS.get(0);
    final Fixtures.Wallet b = Fixtures.WALLETS.get(1);

    @BeforeEach
    void stores() throws Exception {
        dev = new DevStores(dir, WrapAlgorithm.AES_KW_256); // kek.mode unset: a database is hierarchical
        db = new Target.Database(dev);
        victim = db.newStore();
        other = db.newStore();
        victim.setEntry(a.alias(), WalletEntry.of(a.shares(), a.metadata()), null);
        other.setEntry(a.alias(), WalletEntry.of(a.shares(), a.metadata()), null);
    }

    private int sql(String statement, Object... args) throws Exception {
        try (Connection conn = db.dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    private byte[] block(KeyStore ks, long version) throws Exception {
        try (Connection conn = db.dataSource.getConnection(); PreparedStatement s = conn.prepareStatement(
                "SELECT block FROM dynamicshare_branch_key WHERE store_id = " + storeOf(ks) + " AND version = ?")) {
            s.setLong(1, version);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
            }
        }
    }

    private String storeOf(KeyStore ks) {
        return "(SELECT store_id FROM dynamicshare_store WHERE namespace = '" + db.namespace(ks) + "')";
    }

    /** A genuine block with its version field changed: what A1 can make without the vault. */
    private static byte[] relabelled(byte[] der, long version) throws Exception {
        ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
        ASN1Encodable[] fields = seq.toArray();
        fields[0] = new ASN1Integer(version);
        return new DERSequence(fields).getEncoded(ASN1Encoding.DER);
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append(" / ");
        }
        return b.toString();
    }

    private void readsBack(KeyStore ks, Fixtures.Wallet w) throws Exception {
        KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(w.alias(), null);
        assertArrayEquals(w.shares(), e.getSecretKey().getEncoded());
    }

    @Test
    void aPlantedVersionIsNeverUsedForNewWallets() throws Exception {
        // A1 adds version 2, made from the genuine version 1 with its version field changed: it would become the
        // active version. Its anchor (signature over store id and version) does not hold: no wallet is wrapped
        // under it, and the write names the reason.
        sql("INSERT INTO dynamicshare_branch_key (store_id, version, block) VALUES (" + storeOf(victim) + ", 2, ?)",
                relabelled(block(victim, 1), 2));
        KeyStore fresh = db.reopen(victim);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> fresh.setEntry(b.alias(),
                WalletEntry.of(b.shares(), b.metadata()), null));
        assertContains(messages(e), "alias '" + b.alias() + "'", "another purpose, store or version");
        assertEquals(null, fresh.getEntry(b.alias(), null), "nothing was written");
        readsBack(fresh, a); // version 1's wallets still read
    }

    @Test
    void aBlockMovedToAnotherVersionIsRefusedByName() throws Exception {
        // Version 1's row relabelled as version 2 (the block inside still says 1): neither version opens.
        assertEquals(1, sql("UPDATE dynamicshare_branch_key SET version = 2 WHERE store_id = " + storeOf(victim)));
        KeyStore fresh = db.reopen(victim);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> fresh.getEntry(a.alias(),
                null));
        assertContains(messages(e), "alias '" + a.alias() + "'", "branch key v1", "does not hold");
        // The block re-encoded to say 2 as well: its anchor binds version 1.
        sql("UPDATE dynamicshare_branch_key SET block = ? WHERE store_id = " + storeOf(victim),
                relabelled(block(victim, 2), 2));
        KeyStore fresh2 = db.reopen(victim);
        assertContains(messages(assertThrows(GeneralSecurityException.class, () -> fresh2.setEntry(b.alias(),
                WalletEntry.of(b.shares(), b.metadata()), null))), "another purpose, store or version");
    }

    @Test
    void aRowWhoseBlockNamesAnotherVersionIsRefusedAsNotGenuine() throws Exception {
        sql("INSERT INTO dynamicshare_branch_key (store_id, version, block) VALUES (" + storeOf(victim) + ", 5, ?)",
                block(victim, 1));
        KeyStore fresh = db.reopen(victim);
        readsBack(fresh, a); // the odd row is left out: version 1 stays the active one
        fresh.setEntry(b.alias(), WalletEntry.of(b.shares(), b.metadata()), null);
        readsBack(db.reopen(victim), b);
    }

    @Test
    void aBlockMovedFromAnotherStoreDoesNotOpen() throws Exception {
        // The other store's genuine version 1 put in place of the victim's: bound to the other store id.
        byte[] theirs = block(other, 1);
        sql("UPDATE dynamicshare_branch_key SET block = ? WHERE store_id = " + storeOf(victim) + " AND version = 1",
                theirs);
        KeyStore fresh = db.reopen(victim);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> fresh.getEntry(a.alias(),
                null));
        assertContains(messages(e), "alias '" + a.alias() + "'", "another purpose, store or version");
        readsBack(db.reopen(other), a); // the other store is untouched
    }

    @Test
    void deletingTheActiveVersionDeniesItsWalletsByName() throws Exception {
        KeyStore warm = db.reopen(victim);
        readsBack(warm, a); // version 1 unwrapped and cached by this instance
        assertEquals(1, sql("DELETE FROM dynamicshare_branch_key WHERE store_id = " + storeOf(victim)));
        KeyStore fresh = db.reopen(victim);
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> fresh.getEntry(a.alias(),
                null));
        assertContains(messages(e), "alias '" + a.alias() + "'", "branch key v1", "does not hold");
        readsBack(warm, a); // an instance with the version cached keeps reading until its cache period ends
    }
}
