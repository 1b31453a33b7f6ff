package io.dynamicshare.attack;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekNotAllowedException;
import io.dynamicshare.kek.KekResolver;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreIntegrityException;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStoreException;
import java.security.UnrecoverableEntryException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dynamicshare.attack.Causes.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strict mode (docs/SECURITY.md, "Configuration decides which key services are contacted"): A1 names a key service
 * of their own (a listening socket on 127.0.0.1 standing in for an HTTPS vault A1 runs) in the store key block, in a
 * signature, or in an entry's recipients. The store must refuse the id before any network call, saying which id and
 * which setting; the socket must see no connection. And a store never picks its own write key: with {@code kek}
 * unset it is read-only.
 */
class KekAllowlistAttackTest {
    @TempDir
    static Path dir;
    static Victim victim;
    static byte[] genuine;
    /** The configuration the tests load with: the victim's, with short Azure timeouts so a connection fails fast. */
    static Path config;
    static Victim previous;
    static byte[] genuineV1;
    /** A1's own RSA key: the key "their vault" holds, so that their forged block is signed and wrapped consistently. */
    static KeyPair attackerVaultKey;

    Honeypot honeypot;

    @BeforeAll
    static void victims() throws Exception {
        victim = Victim.create(dir.resolve("victim"), "victim", WrapAlgorithm.RSA_OAEP_256);
        genuine = victim.newStoreFile(Wallets.EVM, Wallets.BTC);
        config = victim.config("fast-azure.properties", KekAllowlistAttackTest::fastAzure);
        previous = Victim.previousRelease(dir.resolve("previous"));
        genuineV1 = Files.readAllBytes(previous.v1StoreFile());
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        attackerVaultKey = g.generateKeyPair();
    }

    /** Bounded Azure calls: were the store to contact the honeypot, it would fail in seconds, not minutes. */
    static Properties fastAzure(Properties p) {
        p.setProperty("azure.connectTimeoutSeconds", "2");
        p.setProperty("azure.readTimeoutSeconds", "2");
        p.setProperty("azure.maxRetries", "0");
        return p;
    }

    @BeforeEach
    void listen() throws IOException {
        honeypot = new Honeypot();
    }

    @AfterEach
    void close() throws IOException {
        honeypot.close();
    }

    private String foreignId() {
        return honeypot.keyId("x", "1");
    }

    /** Asserts a KekNotAllowedException naming the foreign id and the setting to change is in {@code e}'s chain. */
    private void notAllowed(Throwable e) {
        KekNotAllowedException n = Causes.find(e, KekNotAllowedException.class);
        assertEquals(foreignId(), n.kekId());
        assertContains(n.getMessage(), foreignId(), "kek.allow");
        assertContains(Causes.messages(e), foreignId(), "kek.allow");
    }

    // ---- (a) the store key block names A1's key service --------------------------------------------------------------

    /** A whole forged block: the store key wrapped and signed by "A1's vault", https://127.0.0.1:port/keys/x/1. */
    @Test
    void storeKeyBlockNamingAForeignKeyService() throws Exception {
        ForgedStore s = ForgedStore.parse(genuine);
        byte[] storeKey = AttackerCms.random(32);
        long epoch = s.block().epoch();
        byte[] commitment = StoreCrypto.commitment(storeKey, StoreCrypto.STORE_KEY_COMMITMENT_LABEL);
        s.header = new StoreCrypto.Block(epoch, commitment,
                List.of(AttackerCms.rsaRecipient(foreignId(), attackerVaultKey.getPublic(),
                        StoreCrypto.storeKeyPlaintext(storeKey, s.storeId, epoch))),
                List.of(new StoreCrypto.Sig(foreignId(), StoreCrypto.ps256(attackerVaultKey.getPrivate(),
                        StoreCrypto.statement(s.storeId, epoch, commitment, foreignId()))))).encode();
        byte[] forged = s.sealV2(storeKey, epoch);

        IOException e = assertThrows(IOException.class, () -> victim.open(config, forged));
        notAllowed(e);
        honeypot.assertNoConnection();
    }

    /** Beside the genuine recipient and signature, A1 adds their own: never contacted, and the file MAC fails. */
    @Test
    void foreignRecipientAndSignatureBesideTheGenuineOnes() throws Exception {
        ForgedStore s = ForgedStore.parse(genuine);
        StoreCrypto.Block real = s.block();
        List<RecipientInfo> recipients = new ArrayList<>(real.recipients());
        recipients.add(AttackerCms.rsaRecipient(foreignId(), attackerVaultKey.getPublic(), AttackerCms.random(64)));
        List<StoreCrypto.Sig> sigs = new ArrayList<>();
        sigs.add(new StoreCrypto.Sig(foreignId(), StoreCrypto.ps256(attackerVaultKey.getPrivate(),
                StoreCrypto.statement(s.storeId, real.epoch(), real.commitment(), foreignId()))));
        sigs.addAll(real.signatures());
        s.header = real.withRecipients(recipients).withSignatures(sigs).encode();

        IOException e = assertThrows(IOException.class, () -> victim.open(config, s.toBytes()));
        assertInstanceOf(StoreIntegrityException.class, e, () -> Causes.messages(e));
        honeypot.assertNoConnection();
    }

    // ---- (b) an entry's recipient names A1's key service -------------------------------------------------------------

    /** A1 rewrites one recipient's id in a genuine store; A1 cannot re-tag, so the entry tag fails first. */
    @Test
    void entryRecipientRewrittenByA1() throws Exception {
        ForgedStore s = ForgedStore.parse(genuine);
        s.replace(Wallets.EVM.alias(), rewritten(s.entry(Wallets.EVM.alias())));

        IOException e = assertThrows(IOException.class, () -> victim.open(config, s.toBytes()));
        assertInstanceOf(StoreIntegrityException.class, e, () -> Causes.messages(e));
        assertContains(e.getMessage(), "entry tag");
        honeypot.assertNoConnection();
    }

    /**
     * Defence in depth: an insider who holds the KEK (so the store key) re-tags the rewritten entry. The file loads;
     * the entry's foreign recipient is still refused by name at getEntry and verify, without a connection.
     */
    @Test
    void entryRecipientRewrittenAndRetaggedByAnInsider() throws Exception {
        ForgedStore s = ForgedStore.parse(genuine);
        s.replace(Wallets.EVM.alias(), rewritten(s.entry(Wallets.EVM.alias())));
        byte[] storeKey = java.util.Arrays.copyOf(AttackerCms.rsaOaepUnwrap(victim.insiderPrivateKey(),
                AttackerCms.encryptedKey(s.block().recipients().get(0))), 32);
        DynamicShareKeyStore ks = victim.open(config, s.sealV2(storeKey, s.block().epoch()));

        UnrecoverableEntryException e = assertThrows(UnrecoverableEntryException.class,
                () -> ks.getEntry(Wallets.EVM.alias(), null));
        notAllowed(e);
        Map<String, String> failures = ks.verify();
        assertEquals(List.of(Wallets.EVM.alias()), List.copyOf(failures.keySet()));
        assertContains(failures.get(Wallets.EVM.alias()), foreignId(), "kek.allow");
        assertArrayEquals(Wallets.BTC.shares(), StoreForgeryAttackTest.shares(ks, Wallets.BTC.alias()));
        honeypot.assertNoConnection();
    }

    private byte[] rewritten(byte[] entry) {
        AttackerCms.Parsed p = AttackerCms.parse(entry);
        return p.withRecipients(List.of(AttackerCms.renamed(p.recipients().get(0), foreignId()))).encode();
    }

    // ---- (a, b) in format 1: what the previous release contacted ---------------------------------------------------

    /** Format 1, the MAC key wrapped for A1's key service only. */
    @Test
    void format1HeaderNamingAForeignKeyService() throws Exception {
        ForgedStore s = ForgedStore.parse(genuineV1);
        byte[] macKey = AttackerCms.random(32);
        s.header = ForgedStore.recipientSet(List.of(AttackerCms.rsaRecipient(foreignId(),
                attackerVaultKey.getPublic(), macKey)));
        byte[] forged = s.sealV1(macKey);

        Path defaults = previous.config("fast-azure.properties", KekAllowlistAttackTest::fastAzure);
        IOException e = assertThrows(IOException.class, () -> previous.open(defaults, forged));
        assertContains(e.getMessage(), "legacy.format1");
        honeypot.assertNoConnection();

        IOException legacy = assertThrows(IOException.class, () -> previous.open(legacyRead(), forged));
        notAllowed(legacy);
        honeypot.assertNoConnection();
    }

    /** Format 1, a genuine file with one recipient renamed and A1's own MAC key: the previous release read it. */
    @Test
    void format1EntryRecipientNamingAForeignKeyService() throws Exception {
        ForgedStore s = ForgedStore.parse(genuineV1);
        s.replace(Wallets.EVM.alias(), rewritten(s.entry(Wallets.EVM.alias())));
        byte[] forged = new A1(previous.publicKey(), previous.kekVersion()).forgeV1(s);

        Path defaults = previous.config("fast-azure.properties", KekAllowlistAttackTest::fastAzure);
        IOException e = assertThrows(IOException.class, () -> previous.open(defaults, forged));
        assertContains(e.getMessage(), "legacy.format1");
        honeypot.assertNoConnection();

        // Read deliberately (the migration setting): the forged file loads, but the foreign id is still never
        // contacted.
        DynamicShareKeyStore ks = previous.open(legacyRead(), forged);
        UnrecoverableEntryException u = assertThrows(UnrecoverableEntryException.class,
                () -> ks.getEntry(Wallets.EVM.alias(), null));
        notAllowed(u);
        honeypot.assertNoConnection();
    }

    private static Path legacyRead() throws IOException {
        return previous.config("legacy-read.properties", p -> {
            p.setProperty("legacy.format1", "read");
            return fastAzure(p);
        });
    }

    // ---- (c) write-key hijack: kek unset ---------------------------------------------------------------------------

    /**
     * The configuration has no {@code kek}, only {@code kek.allow} to read. The genuine store loads and reads; every
     * write is refused as read-only, naming 'kek', and nothing is wrapped or signed by any key.
     */
    @Test
    void withoutKekTheStoreIsReadOnly() throws Exception {
        Path readOnly = victim.config("read-only.properties", p -> {
            p.remove("kek");
            p.setProperty("kek.allow", victim.kekName);
            return fastAzure(p);
        });
        KekCalls calls = new KekCalls();
        DynamicShareKeyStore ks = victim.newKeyStore(readOnly, calls::wrap);
        ks.load(new java.io.ByteArrayInputStream(genuine), null);
        assertArrayEquals(Wallets.EVM.shares(), StoreForgeryAttackTest.shares(ks, Wallets.EVM.alias()));

        readOnly(assertThrows(KeyStoreException.class, () -> ks.setEntry(Wallets.SVM.alias(),
                WalletEntry.of(Wallets.SVM.shares(), Wallets.SVM.metadata()), null)));
        readOnly(assertThrows(KeyStoreException.class, () -> ks.setEntry(Wallets.EVM.alias(),
                WalletEntry.of(Wallets.EVM.shares(), Wallets.EVM.metadataWithBackupAt("elsewhere")), null)));
        readOnly(assertThrows(KeyStoreException.class, () -> ks.deleteEntry(Wallets.BTC.alias())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readOnly(assertThrows(IOException.class, () -> ks.store(out, null)));
        assertEquals(0, out.size(), "nothing written");
        readOnly(assertThrows(KeyStoreException.class, () -> ks.rewrap(null, 10)));
        readOnly(assertThrows(KeyStoreException.class, () -> ks.rekey(10)));
        assertEquals(0, calls.wraps.get() + calls.signs.get(), "nothing wrapped or signed: " + calls);
        assertTrue(ks.containsAlias(Wallets.BTC.alias()) && !ks.containsAlias(Wallets.SVM.alias()));
        honeypot.assertNoConnection();
    }

    /**
     * docs/SECURITY.md: "With no kek configured a store is read-only (setEntry, deleteEntry, store, rewrap, rekey
     * throw KeyStoreException saying so)". A rewrap that names its target (a key kek.allow lists) is a rewrap too:
     * after a rotation it would wrap every entry and sign the store key, under a configuration that names no write
     * key.
     */
    @Test
    void withoutKekRewrapToANamedKeyIsRefusedToo() throws Exception {
        Victim rotated = Victim.create(dir.resolve("rotated"), "rotated", WrapAlgorithm.RSA_OAEP_256);
        byte[] file = rotated.newStoreFile(Wallets.EVM, Wallets.BTC);
        io.dynamicshare.kek.local.LocalDevKek.open(rotated.kekFile, Victim.PASSWORD.toCharArray())
                .rotate(Victim.PASSWORD.toCharArray());
        Path readOnly = rotated.config("read-only.properties", p -> {
            p.remove("kek");
            p.setProperty("kek.allow", rotated.kekName);
            return fastAzure(p);
        });
        KekCalls calls = new KekCalls();
        DynamicShareKeyStore ks = rotated.newKeyStore(readOnly, calls::wrap);
        ks.load(new java.io.ByteArrayInputStream(file), null);
        readOnly(assertThrows(KeyStoreException.class, () -> ks.rewrap(null, 10)));

        KeyStoreException refused = null;
        int remaining = -1;
        try {
            remaining = ks.rewrap(rotated.kekName, 10);
        } catch (KeyStoreException e) {
            refused = e;
        }
        String what = "rewrap('" + rotated.kekName + "') on a read-only store returned " + remaining + " after "
                + calls + "; the store key is now wrapped by " + ks.inventory().storeKek() + ", entries by "
                + ks.inventory().entriesByKek().keySet();
        assertNotNull(refused, what);
        readOnly(refused);
        assertEquals(0, calls.wraps.get() + calls.signs.get(), "nothing wrapped or signed: " + calls);
    }

    /**
     * The previous release, with {@code kek} unset, wrapped new entries with the first KEK of the file's own header.
     * A1 puts their key service first in a format-1 header (with their own MAC key, also wrapped for the genuine KEK
     * so that the file still loads).
     */
    @Test
    void format1HeaderCannotChooseTheWriteKey() throws Exception {
        A1 a1 = new A1(previous.publicKey(), previous.kekVersion());
        ForgedStore s = ForgedStore.parse(genuineV1);
        RecipientInfo foreign = AttackerCms.rsaRecipient(foreignId(), attackerVaultKey.getPublic(), a1.ownKey);
        s.header = ForgedStore.recipientSet(List.of(foreign, a1.macKeyRecipient()));
        assertEquals(foreignId(), AttackerCms.kekId(s.macKeyRecipients().get(0)),
                "A1's key service comes first in the header (DER orders the SET: A1 chose a shorter key)");
        byte[] forged = s.sealV1(a1.ownKey);

        Path readOnlyDefault = previous.config("read-only.properties", p -> {
            p.remove("kek");
            p.setProperty("kek.allow", previous.kekName);
            return fastAzure(p);
        });
        IOException refused = assertThrows(IOException.class, () -> previous.open(readOnlyDefault, forged));
        assertContains(refused.getMessage(), "legacy.format1");

        Path readOnlyLegacy = previous.config("read-only-legacy.properties", p -> {
            p.remove("kek");
            p.setProperty("kek.allow", previous.kekName);
            p.setProperty("legacy.format1", "read");
            return fastAzure(p);
        });
        KekCalls calls = new KekCalls();
        DynamicShareKeyStore ks = previous.newKeyStore(readOnlyLegacy, calls::wrap);
        ks.load(new java.io.ByteArrayInputStream(forged), null);
        readOnly(assertThrows(KeyStoreException.class, () -> ks.setEntry("0x000000000000000000000000000000000000dEaD",
                WalletEntry.of(Wallets.EVM.shares(), Wallets.EVM.metadata()), null)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readOnly(assertThrows(IOException.class, () -> ks.store(out, null)));
        assertEquals(0, calls.wraps.get() + calls.signs.get(), "nothing wrapped or signed: " + calls);
        honeypot.assertNoConnection();
    }

    private static void readOnly(Exception e) {
        KeyStoreException k = Causes.find(e, KeyStoreException.class);
        assertContains(k.getMessage(), "read-only", "'kek'");
    }

    /** Counts every wrap and sign any KEK is asked for, whichever key. */
    static final class KekCalls {
        final AtomicInteger wraps = new AtomicInteger();
        final AtomicInteger signs = new AtomicInteger();

        KekResolver wrap(KekResolver inner) {
            return reference -> counting(inner.resolve(reference));
        }

        private Kek counting(Kek k) {
            return new Kek() {
                @Override
                public String keyName() {
                    return k.keyName();
                }

                @Override
                public KekId newestVersion() throws KekException {
                    return k.newestVersion();
                }

                @Override
                public WrappedKey wrap(byte[] key) throws KekException {
                    wraps.incrementAndGet();
                    return k.wrap(key);
                }

                @Override
                public byte[] unwrap(WrappedKey wrapped) throws KekException {
                    return k.unwrap(wrapped);
                }

                @Override
                public KekSignature sign(byte[] message) throws KekException {
                    signs.incrementAndGet();
                    return k.sign(message);
                }

                @Override
                public boolean verify(KekId signer, byte[] message, byte[] signature) throws KekException {
                    return k.verify(signer, message, signature);
                }
            };
        }

        @Override
        public String toString() {
            return wraps + " wrap(s), " + signs + " sign(s)";
        }
    }
}
