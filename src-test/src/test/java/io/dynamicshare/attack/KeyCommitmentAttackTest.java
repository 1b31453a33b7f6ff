package io.dynamicshare.attack;

import io.dynamicshare.envelope.KeyCommitmentException;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreIntegrityException;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.UnrecoverableEntryException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.dynamicshare.attack.Causes.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One plaintext per entry (docs/SECURITY.md, "Key commitment"). The attacker here is an insider who holds the KEK
 * (so the store key, and can tag whatever they like): they build an entry whose two recipients hold two different
 * data keys, K1 and K2, under one AES-GCM ciphertext that authenticates under both (GCM is not key-committing), so
 * that two readers could be shown two different "shares". The entry commits to K1; every path that unwraps K2 must
 * refuse before decrypting.
 *
 * <p>And a data key must never pass for a store key: an attacker who learnt one entry's data key takes that entry's
 * genuine AES key wrap and offers it as the store key block, with every tag computed from the data key.
 */
class KeyCommitmentAttackTest {
    private static final int BLOCKS = 4;

    @TempDir
    static Path dir;
    static Victim victim;
    static byte[] genuine;
    /** The insider's store key, from the genuine block, with the KEK's private key. */
    static byte[] storeKey;
    static long epoch;
    static Victim aesVictim;
    static byte[] aesGenuine;

    @BeforeAll
    static void victims() throws Exception {
        victim = Victim.create(dir.resolve("rsa"), "victim", WrapAlgorithm.RSA_OAEP_256);
        genuine = victim.newStoreFile(Wallets.EVM, Wallets.BTC);
        ForgedStore s = ForgedStore.parse(genuine);
        byte[] block = AttackerCms.rsaOaepUnwrap(victim.insiderPrivateKey(),
                AttackerCms.encryptedKey(s.block().recipients().get(0)));
        storeKey = Arrays.copyOf(block, 32);
        epoch = s.block().epoch();
        aesVictim = Victim.create(dir.resolve("aes"), "aesvictim", WrapAlgorithm.AES_KW_256);
        aesGenuine = aesVictim.newStoreFile(Wallets.EVM, Wallets.BTC);
    }

    /** The two-key entry: its DER, and what K1 and K2 decrypt it to (computed here with the JDK, not the product). */
    record TwoKeyEntry(byte[] der, byte[] plaintextUnderK1, byte[] plaintextUnderK2) {
    }

    /**
     * An entry for {@code alias} in {@code storeId}, committed to K1, whose one ciphertext opens under K1 and K2;
     * {@code recipients} gets K1 and K2 and returns the recipient list to write.
     */
    static TwoKeyEntry twoKeyEntry(String alias, byte[] storeId, int format,
                                   RecipientChoice recipients) throws Exception {
        byte[] k1 = AttackerCms.random(32);
        byte[] k2 = AttackerCms.random(32);
        AttackerCms.Binding b = format == 2
                ? AttackerCms.Binding.v2(alias, Wallets.EVM.metadata(), storeId, epoch)
                : AttackerCms.Binding.v1(alias, Wallets.EVM.metadata(), storeId);
        // Sealed normally under K1 (so the commitment attribute commits to K1), then the ciphertext is replaced.
        AttackerCms.Parsed sealed = AttackerCms.parse(AttackerCms.seal(b, k1, new byte[BLOCKS * 16],
                List.of(AttackerCms.rsaRecipient("placeholder", victim.publicKey(), k1))));
        byte[] aad = sealed.aad();
        byte[] ct = GcmTwoKeyCiphertext.forge(k1, k2, sealed.nonce(), aad, BLOCKS);
        byte[] p1 = gcmOpen(k1, sealed.nonce(), aad, ct);
        byte[] p2 = gcmOpen(k2, sealed.nonce(), aad, ct);
        assertFalse(Arrays.equals(p1, p2), "two keys, two plaintexts");
        byte[] der = sealed.withCiphertext(ct).withRecipients(recipients.choose(k1, k2)).encode();
        assertArrayEquals(aad, AttackerCms.parse(der).aad(), "re-encoding kept the authenticated attributes");
        return new TwoKeyEntry(der, p1, p2);
    }

    interface RecipientChoice {
        List<RecipientInfo> choose(byte[] k1, byte[] k2) throws Exception;
    }

    static byte[] gcmOpen(byte[] key, byte[] nonce, byte[] aad, byte[] ctAndTag) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(ctAndTag);
    }

    /** Both recipients for the victim's KEK, wrapped until DER's SET order puts {@code first}'s recipient first. */
    static List<RecipientInfo> bothAllowed(byte[] first, byte[] second) throws Exception {
        for (int attempt = 0; attempt < 64; attempt++) {
            RecipientInfo r1 = AttackerCms.rsaRecipient(victim.kekVersion(), victim.publicKey(), first);
            RecipientInfo r2 = AttackerCms.rsaRecipient(victim.kekVersion(), victim.publicKey(), second);
            if (compare(StoreCrypto.der(r1), StoreCrypto.der(r2)) < 0) {
                return List.of(r1, r2);
            }
        }
        throw new IllegalStateException("64 coin flips came up tails");
    }

    private static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** The entry in place of EVM's in the genuine store, every tag and the MAC recomputed with the store key. */
    static DynamicShareKeyStore storeWith(TwoKeyEntry e) throws Exception {
        ForgedStore s = ForgedStore.parse(genuine);
        s.replace(Wallets.EVM.alias(), e.der());
        DynamicShareKeyStore ks = victim.open(s.sealV2(storeKey, epoch));
        assertEquals(2, AttackerCms.parse(s.entry(Wallets.EVM.alias())).recipients().size());
        return ks;
    }

    // ---- two keys, one ciphertext ---------------------------------------------------------------------------------

    /** R2 (K2) is the recipient a reader tries first. */
    @Test
    void openingThroughTheSecondKeyIsRefused() throws Exception {
        TwoKeyEntry e = twoKeyEntry(Wallets.EVM.alias(), ForgedStore.parse(genuine).storeId, 2,
                (k1, k2) -> bothAllowed(k2, k1));
        DynamicShareKeyStore ks = storeWith(e);
        UnrecoverableEntryException u = assertThrows(UnrecoverableEntryException.class,
                () -> ks.getEntry(Wallets.EVM.alias(), null));
        Causes.find(u, KeyCommitmentException.class);
        assertContains(u.getMessage(), "alias '" + Wallets.EVM.alias() + "'", "commits to");
        verifyReportsEvm(ks);
    }

    /** R1 (K1) comes first but names a KEK the configuration does not allow, so the reader falls through to R2. */
    @Test
    void openingThroughTheSecondKeyAfterASkippedRecipientIsRefused() throws Exception {
        TwoKeyEntry e = twoKeyEntry(Wallets.EVM.alias(), ForgedStore.parse(genuine).storeId, 2,
                (k1, k2) -> List.of(AttackerCms.rsaRecipient("devkek:elsewhere/v1", victim.publicKey(), k1),
                        AttackerCms.rsaRecipient(victim.kekVersion(), victim.publicKey(), k2)));
        DynamicShareKeyStore ks = storeWith(e);
        UnrecoverableEntryException u = assertThrows(UnrecoverableEntryException.class,
                () -> ks.getEntry(Wallets.EVM.alias(), null));
        Causes.find(u, KeyCommitmentException.class);
        assertContains(u.getMessage(), "commits to");
        verifyReportsEvm(ks);
    }

    /**
     * R1 (K1, the committed key) comes first: the entry opens, to K1's plaintext and never K2's (the ciphertext
     * authenticates under K1, so nothing tells this reader). verify() unwraps every recipient and reports the entry.
     */
    @Test
    void openingThroughTheCommittedKeyGivesItsPlaintextAndVerifyReportsTheEntry() throws Exception {
        TwoKeyEntry e = twoKeyEntry(Wallets.EVM.alias(), ForgedStore.parse(genuine).storeId, 2,
                (k1, k2) -> bothAllowed(k1, k2));
        DynamicShareKeyStore ks = storeWith(e);
        byte[] opened = StoreForgeryAttackTest.shares(ks, Wallets.EVM.alias());
        assertArrayEquals(e.plaintextUnderK1(), opened);
        assertFalse(Arrays.equals(e.plaintextUnderK2(), opened));
        verifyReportsEvm(ks);
    }

    private static void verifyReportsEvm(DynamicShareKeyStore ks) throws Exception {
        Map<String, String> failures = ks.verify();
        assertEquals(List.of(Wallets.EVM.alias()), List.copyOf(failures.keySet()), failures::toString);
        assertContains(failures.get(Wallets.EVM.alias()), "commits to");
    }

    /** The same entry in a format-1 file (no commitment there): what the previous release read, now refused. */
    @Test
    void format1TwoKeyEntryIsRefusedByDefault() throws Exception {
        Victim previous = Victim.previousRelease(dir.resolve("previous"));
        A1 a1 = new A1(previous.publicKey(), previous.kekVersion());
        ForgedStore s = ForgedStore.parse(Files.readAllBytes(previous.v1StoreFile()));
        TwoKeyEntry e = twoKeyEntry(Wallets.EVM.alias(), s.storeId, 1, (k1, k2) -> List.of(
                AttackerCms.rsaRecipient(previous.kekVersion(), previous.publicKey(), k2),
                AttackerCms.rsaRecipient(previous.kekVersion(), previous.publicKey(), k1)));
        s.replace(Wallets.EVM.alias(), e.der());
        byte[] forged = a1.forgeV1(s);
        IOException refused = assertThrows(IOException.class, () -> previous.open(forged));
        assertInstanceOf(StoreIntegrityException.class, refused);
        assertContains(refused.getMessage(), "legacy.format1");
    }

    // ---- a data key in the store key's place ------------------------------------------------------------------------

    /**
     * AES KEK, so the wrap is genuine (only the KEK holder can make one): the EVM entry's wrapped data key D becomes
     * the store key block's recipient; the attacker, who learnt D, commits to it and derives every tag and the MAC
     * from it.
     */
    @Test
    void aDataKeyOfferedAsTheStoreKeyIsRefused() throws Exception {
        ForgedStore s = ForgedStore.parse(aesGenuine);
        RecipientInfo entryRecipient = AttackerCms.parse(s.entry(Wallets.EVM.alias())).recipients().get(0);
        byte[] d = learntDataKey(entryRecipient);
        assertEquals(32, d.length);
        StoreCrypto.Block real = s.block();
        s.header = new StoreCrypto.Block(real.epoch(), StoreCrypto.commitment(d, StoreCrypto.STORE_KEY_COMMITMENT_LABEL),
                List.of(entryRecipient), List.of()).encode();
        byte[] forged = s.sealV2(d, real.epoch());

        IOException e = assertThrows(IOException.class, () -> aesVictim.open(forged));
        assertInstanceOf(StoreIntegrityException.class, e, () -> Causes.messages(e));
        assertContains(e.getMessage(), "32 bytes, not 64", "data key");
    }

    /**
     * The reverse, by an insider who holds the store key: the store key's genuine wrap (64 bytes) offered as an
     * entry's data key.
     */
    @Test
    void theStoreKeyOfferedAsADataKeyIsRefused() throws Exception {
        ForgedStore s = ForgedStore.parse(aesGenuine);
        RecipientInfo storeKeyRecipient = s.block().recipients().get(0);
        byte[] block = AttackerCms.aesKeyUnwrap(aesVictim.insiderAesKey(), AttackerCms.encryptedKey(storeKeyRecipient));
        assertEquals(64, block.length);
        AttackerCms.Parsed evm = AttackerCms.parse(s.entry(Wallets.EVM.alias()));
        s.replace(Wallets.EVM.alias(), evm.withRecipients(List.of(storeKeyRecipient)).encode());
        DynamicShareKeyStore ks = aesVictim.open(s.sealV2(Arrays.copyOf(block, 32), s.block().epoch()));

        UnrecoverableEntryException u = assertThrows(UnrecoverableEntryException.class,
                () -> ks.getEntry(Wallets.EVM.alias(), null));
        assertContains(u.getMessage(), "64-byte key, not a data key");
    }

    /**
     * Format 1 had exactly this confusion: its MAC key was a 32-byte wrapped key like any data key. The data key's
     * genuine wrap as a format-1 MAC key: what the previous release accepted, refused by default.
     */
    @Test
    void format1DataKeyAsMacKeyIsRefusedByDefault() throws Exception {
        ForgedStore genuineStore = ForgedStore.parse(aesGenuine);
        RecipientInfo entryRecipient = AttackerCms.parse(genuineStore.entry(Wallets.EVM.alias())).recipients().get(0);
        byte[] d = learntDataKey(entryRecipient);
        ForgedStore s = ForgedStore.newV1(genuineStore.storeId, List.of(entryRecipient));
        for (int i = 0; i < genuineStore.entries.size(); i++) {
            s.add(genuineStore.aliases.get(i), genuineStore.entries.get(i), null);
        }
        byte[] forged = s.sealV1(d);
        IOException e = assertThrows(IOException.class, () -> aesVictim.open(forged));
        assertInstanceOf(StoreIntegrityException.class, e);
        assertContains(e.getMessage(), "legacy.format1");
    }

    /** The data key the attacker learnt (modelled by unwrapping it with the KEK here: how they learnt it is out of scope). */
    private static byte[] learntDataKey(RecipientInfo r) throws Exception {
        SecretKey kek = aesVictim.insiderAesKey();
        return AttackerCms.aesKeyUnwrap(kek, AttackerCms.encryptedKey(r));
    }
}
