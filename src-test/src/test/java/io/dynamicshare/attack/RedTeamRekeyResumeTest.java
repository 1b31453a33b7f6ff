package io.dynamicshare.attack;

import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.KekInventory;
import io.dynamicshare.store.StoreIntegrityException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * RED TEAM: A2 (holds the old KEK version v1) survives the whole compromise runbook (README "Compromise runbook",
 * docs/SECURITY.md section 5) because {@code rekey} "resumes" instead of drawing a fresh store key whenever the
 * loaded store is at key epoch >= 2 with any entry behind it (KeyMaintenance.rekey, line 92). A2 forges exactly
 * that state: an epoch-2 store key of A2's own, wrapped with v1's public key and signed by v1 (A2 can sign with v1),
 * the genuine entries left at ARC.8 = 1 and only re-tagged. The runbook's rekey then re-seals every entry under
 * A2's store key; rewrap moves that same key to v2. After v1 is removed from the configuration, A2 (who now needs
 * no vault access at all) plants a wallet that load, aliases, attributes and getEntry accept.
 *
 * <p>Fails today (the planted wallet is accepted).
 */
class RedTeamRekeyResumeTest {
    @TempDir
    Path dir;

    @Test
    void a2CannotKeepItsStoreKeyThroughRekeyAndRewrap() throws Exception {
        Victim victim = Victim.create(dir.resolve("victim"), "victim", WrapAlgorithm.RSA_OAEP_256);
        byte[] genuine = victim.newStoreFile(Wallets.EVM, Wallets.BTC);
        String v1 = victim.kekVersion();                 // devkek:victim/v1
        String v2 = victim.kekName + "/v2";

        // ---- A2: holds v1 (private key), writes the file. Forges an "interrupted rekey" at epoch 2 with its own key.
        PrivateKey v1Private = victim.insiderPrivateKey();
        PublicKey v1Public = victim.publicKey();
        ForgedStore s = ForgedStore.parse(genuine);
        byte[] a2StoreKey = AttackerCms.random(32);
        long epoch = 2;
        byte[] commitment = StoreCrypto.commitment(a2StoreKey, StoreCrypto.STORE_KEY_COMMITMENT_LABEL);
        s.header = new StoreCrypto.Block(epoch, commitment,
                List.of(AttackerCms.rsaRecipient(v1, v1Public, StoreCrypto.storeKeyPlaintext(a2StoreKey, s.storeId, epoch))),
                List.of(new StoreCrypto.Sig(v1, StoreCrypto.ps256(v1Private,
                        StoreCrypto.statement(s.storeId, epoch, commitment, v1))))).encode();
        s.generation++;
        byte[] forged = s.sealV2(a2StoreKey, epoch);   // entries untouched: ARC.8 = 1, i.e. "behind" epoch 2

        // ---- Victim: compromise of v1 detected; follows the runbook.
        // 1. new version v2, pinned; v1 kept in kek.allow only because the store still needs it to read.
        LocalDevKek.open(victim.kekFile, Victim.PASSWORD.toCharArray()).rotate(Victim.PASSWORD.toCharArray());
        Path runbook = victim.config("runbook.properties", p -> {
            p.setProperty("kek", v2);
            p.setProperty("kek.allow", v1);
            return p;
        });
        DynamicShareKeyStore ks = victim.open(runbook, forged);
        // 2. rekey until 0, then store.
        while (ks.rekey(100) > 0) {
            // batches
        }
        // 3. inventory: no entry behind; the store key still names v1, so the operator rewraps it to v2.
        KekInventory inv = ks.inventory();
        assertEquals(0, inv.entriesBehindKeyEpoch());
        while (ks.rewrap(null, 100) > 0) {
            // batches
        }
        assertFalse(ks.inventory().versionsInUse().contains(v1), "runbook step 3 passes: " + ks.inventory());
        byte[] afterRunbook = Victim.bytes(ks);
        // 4. v1 removed from the configuration (and disabled in the vault).
        Path after = victim.config("after.properties", p -> {
            p.setProperty("kek", v2);
            return p;
        });
        assertEquals(2, victim.open(after, afterRunbook).size(), "the rekeyed store loads without v1");

        // Did rekey draw a fresh store key? It did not: the block still commits to A2's key.
        ForgedStore f = ForgedStore.parse(afterRunbook);
        boolean stillA2sKey = Arrays.equals(f.block().commitment(), commitment);

        // ---- A2, after the runbook, with no vault access: plants a wallet under the store key it chose.
        A1 a1 = new A1(publicKeyOf(victim, "victim/v2"), v2);
        f.add(Wallets.SVM.alias(), a1.entry(AttackerCms.Binding.v2(Wallets.SVM.alias(), Wallets.SVM.metadata(),
                f.storeId, f.block().epoch()), "{\"attacker\":\"shares\"}".getBytes()), null);
        byte[] planted = f.sealV2(a2StoreKey, f.block().epoch());

        IOException e = assertThrows(IOException.class, () -> {
            DynamicShareKeyStore victimStore = victim.open(after, planted);
            throw new AssertionError("planted wallet ACCEPTED after the full runbook (rekey kept A2's store key: "
                    + stillA2sKey + "); aliases=" + java.util.Collections.list(victimStore.aliases()) + ", planted shares="
                    + new String(((KeyStore.SecretKeyEntry) victimStore.getEntry(Wallets.SVM.alias(), null))
                            .getSecretKey().getEncoded()));
        });
        assertInstanceOf(StoreIntegrityException.class, e);
    }

    static PublicKey publicKeyOf(Victim v, String p12Alias) throws Exception {
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(v.kekFile)) {
            p12.load(in, Victim.PASSWORD.toCharArray());
        }
        return p12.getCertificate(p12Alias).getPublicKey();
    }
}
