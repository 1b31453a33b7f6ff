package io.dynamicshare.attack;

import io.dynamicshare.branchkey.BranchKeyCache;
import io.dynamicshare.branchkey.BranchKeyring;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.file.FileBackend;
import io.dynamicshare.storekey.StoreKeyBlock;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Failed before the fix. RED TEAM, A2 against hierarchical mode (docs/SECURITY.md sections 5 and 9). A2 holds the old KEK version v1 (its
 * RSA private key) and writes the rows (a database; the seam {@link BranchKeyAttackTest.Rows}). The KEK was rotated
 * to v2 and v1 is still in {@code kek.allow}, as it must be until {@code rewrap}/{@code rekey} moved every entry (the
 * runbook's own state, RedTeamRekeyResumeTest). In direct mode A2 cannot read a wallet written now: its data key is
 * wrapped by v2. In hierarchical mode A2 adds branch key "v2" of its own, wrapped with v1's public key and signed by
 * v1: anchored by an allowed KEK version, it becomes the active version, and every new wallet's data key is wrapped
 * under a key A2 chose. A later {@code rewrap} even re-anchors A2's version under the new KEK version
 * ({@link BranchKeyring#reanchor}), so dropping v1 from {@code kek.allow} afterwards does not remove it. Now writers
 * use the active version only when the newest version of the write KEK alone made it (else they make a fresh one,
 * v3 here), and rewrap re-anchors only the versions entries use.
 */
class RedTeamBranchKeyA2Test {
    @TempDir
    Path dir;

    @Test
    void a2CannotMakeNewWalletsWrapUnderABranchKeyItAnchoredWithTheOldKekVersion() throws Exception {
        Victim v = Victim.create(dir.resolve("victim"), "victim", WrapAlgorithm.RSA_OAEP_256);
        Path hierarchical = v.config("hierarchical.properties", p -> {
            p.setProperty("kek.mode", "hierarchical");
            return p;
        });
        DynamicShareKeyStore ks = v.newKeyStore(hierarchical);
        ks.load(null, null);
        ks.setEntry(Wallets.EVM.alias(), WalletEntry.of(Wallets.EVM.shares(), Wallets.EVM.metadata()), null);
        byte[] file = Victim.bytes(ks);
        String v1 = v.kekVersion();
        PrivateKey v1Private = v.insiderPrivateKey(); // A2
        PublicKey v1Public = v.publicKey();

        // The victim rotates the KEK to v2; v1 stays allowed so that entries and the branch key v1 still open.
        LocalDevKek.open(v.kekFile, Victim.PASSWORD.toCharArray()).rotate(Victim.PASSWORD.toCharArray());
        Path rotated = v.config("rotated.properties", p -> {
            p.setProperty("kek.mode", "hierarchical");
            p.setProperty("kek", v.kekName + "/v2");
            p.setProperty("kek.allow", v1);
            return p;
        });
        StoreContext ctx = StoreContext.of(StoreConfig.load(rotated));
        FileBackend genuine = FileBackend.load(ctx, new ByteArrayInputStream(file), 0);
        byte[] storeId = genuine.storeId();

        // A2: branch key v2 of its own, anchored with v1 exactly as the store anchors one.
        byte[] k = AttackerCms.random(32);
        byte[] commitment = StoreCrypto.hmac(k, StoreCrypto.ascii("DynamicShareKeyStore/3 branch key commitment"));
        byte[] plaintext = StoreCrypto.concat(k, StoreCrypto.sha256(
                StoreCrypto.ascii("DynamicShareKeyStore/3 branch key"), storeId, StoreCrypto.u64(2)));
        byte[] statement = StoreCrypto.der(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new DERUTF8String("DynamicShareKeyStore/3 branch key"), new DEROctetString(storeId),
                new ASN1Integer(2), new DEROctetString(commitment), new DERUTF8String(v1)}));
        StoreCrypto.Block planted = new StoreCrypto.Block(2, commitment,
                List.of(AttackerCms.rsaRecipient(v1, v1Public, plaintext)),
                List.of(new StoreCrypto.Sig(v1, StoreCrypto.ps256(v1Private, statement))));
        BranchKeyAttackTest.Rows rows = new BranchKeyAttackTest.Rows(storeId, genuine.branchKeyBlocks().get(0),
                StoreKeyBlock.decode(planted.encode()));

        // The application writes a new wallet (what setEntry does in hierarchical mode).
        byte[] dataKey = AttackerCms.random(32);
        String alias = "0xNewWallet";
        BranchRecipient r;
        try {
            r = new BranchKeyring(ctx.keks(), new BranchKeyCache(60_000)).wrap(rows, ctx.keks().writeKek(), dataKey,
                    alias);
        } catch (GeneralSecurityException refused) {
            return; // refusing to wrap under a version the write KEK's newest version did not anchor: the fix
        }
        assertFalse(r.version() == 2 && Arrays.equals(dataKey, a2Unwraps(k, storeId, r, alias)),
                "the new wallet's data key is wrapped under A2's branch key: A2 reads every wallet written from now on");
    }

    /** What A2 computes: the wrapping key from its own branch key, then RFC 3394 unwrap. */
    private static byte[] a2Unwraps(byte[] branchKey, byte[] storeId, BranchRecipient r, String alias)
            throws GeneralSecurityException {
        byte[] info = StoreCrypto.concat(StoreCrypto.ascii("DynamicShareKeyStore/3 branch wrap"), storeId,
                StoreCrypto.u32((int) r.version()), alias.getBytes(StandardCharsets.UTF_8));
        byte[] wrapping = StoreCrypto.hkdf(branchKey, r.salt(), info);
        Cipher c = Cipher.getInstance("AESWrap");
        c.init(Cipher.UNWRAP_MODE, new SecretKeySpec(wrapping, "AES"));
        return c.unwrap(r.encryptedKey(), "AES", Cipher.SECRET_KEY).getEncoded();
    }
}
