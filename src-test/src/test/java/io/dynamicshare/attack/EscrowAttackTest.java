package io.dynamicshare.attack;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.KeyCommitmentException;
import io.dynamicshare.escrow.EscrowOpener;
import io.dynamicshare.escrow.Recovery;
import io.dynamicshare.escrow.RecoveryReport;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.StoreIntegrityException;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A1 (writes the file, knows every public key: the KEK's and the escrow key's) against the escrow recipient
 * (docs/SECURITY.md, "Escrow"): an entry wrapped only to the escrow key is refused by a normal load; an escrow
 * recipient that holds another key than the entry commits to opens nothing; and a recovery that cannot open the
 * store key flags what it restored without authentication.
 */
class EscrowAttackTest {
    static final KeyPair ESCROW = rsa();

    @TempDir
    Path dir;
    Victim victim;
    Path config;
    Path file;
    X509CertificateHolder cert;
    int runs;

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(3072);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void victimWithEscrow() throws Exception {
        victim = Victim.create(dir.resolve("victim"), "escrowvictim", WrapAlgorithm.RSA_OAEP_256);
        X500Name name = new X500Name("CN=escrow");
        cert = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, new Date(), new Date(System.currentTimeMillis()
                + 86_400_000L), name, ESCROW.getPublic()).build(new JcaContentSignerBuilder("SHA256withRSA")
                .build(ESCROW.getPrivate()));
        Path certFile = dir.resolve("victim/escrow.crt");
        try (Writer w = Files.newBufferedWriter(certFile); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(cert);
        }
        config = victim.config("escrow.properties", p -> {
            p.setProperty("escrow.certificate", "escrow.crt");
            return p;
        });
        file = dir.resolve("victim/wallets.dsks");
        DynamicShareKeyStore ks = victim.newKeyStore(config);
        ks.load(null, null);
        for (Wallets.Wallet w : Wallets.ALL) {
            ks.setEntry(w.alias(), io.dynamicshare.entry.WalletEntry.of(w.shares(), w.metadata()), null);
        }
        ks.store(FileStoreParameter.of(file));
    }

    /** What A1 makes: the escrow public key's recipient, as the store writes it (issuer and serial number). */
    RecipientInfo escrowRecipient(byte[] dataKey) throws Exception {
        return io.dynamicshare.envelope.RecipientInfoCodec.rsaOaepRecipient(new RecipientIdentifier(
                new IssuerAndSerialNumber(cert.toASN1Structure())), AttackerCms.rsaOaepWrap(ESCROW.getPublic(), dataKey));
    }

    /** An entry A1 seals for {@code alias} in the victim's store, with {@code recipients} of its data key. */
    byte[] planted(ForgedStore s, String alias, byte[] dataKey, List<RecipientInfo> recipients) throws Exception {
        return AttackerCms.seal(AttackerCms.Binding.v2(alias, Wallets.EVM.metadata(), s.storeId, 1), dataKey,
                Wallets.EVM.shares(), recipients);
    }

    @Test
    void anEntryWrappedOnlyToTheEscrowKeyIsRefusedByTheNormalLoad() throws Exception {
        ForgedStore s = ForgedStore.parse(Files.readAllBytes(file));
        byte[] dk = AttackerCms.random(32);
        s.add("planted", planted(s, "planted", dk, List.of(escrowRecipient(dk))), AttackerCms.random(32));
        Path forged = Files.write(dir.resolve("forged.dsks"), s.toBytes());
        DynamicShareKeyStore ks = victim.newKeyStore(config);
        StoreIntegrityException e = assertThrows(StoreIntegrityException.class,
                () -> ks.load(FileStoreParameter.of(forged)));
        assertTrue(e.getMessage().contains("alias 'planted': the entry fails its entry tag"), e.getMessage());

        // With the store key still available, recovery checks the tag and does not restore it either; and since the
        // file MAC fails, the genuine entries are restored only as unauthenticated (a tag alone does not bind an
        // entry to the file as last written).
        RecoveryReport r = recover(forged, true);
        assertTrue(r.storeKeyOpened());
        assertEquals(Boolean.FALSE, r.fileMacVerified());
        assertTrue(r.failures().get("planted").contains("fails its entry tag"), r.failures().toString());
        assertEquals(0, r.authenticated().size());
        assertEquals(4, r.unauthenticated().size());
    }

    @Test
    void withoutAnyKekRecipientTheEntryIsRefusedEvenBeforeItsTagMatters() throws Exception {
        ForgedStore s = ForgedStore.parse(Files.readAllBytes(file));
        byte[] dk = AttackerCms.random(32);
        io.dynamicshare.envelope.EnvelopeException e = assertThrows(io.dynamicshare.envelope.EnvelopeException.class,
                () -> CmsEnvelope.parse(planted(s, "planted", dk, List.of(escrowRecipient(dk)))));
        assertTrue(e.getMessage().contains("no KEK recipient"), e.getMessage());
    }

    @Test
    void anEscrowRecipientHoldingAnotherKeyFailsTheKeyCommitment() throws Exception {
        ForgedStore s = ForgedStore.parse(Files.readAllBytes(file));
        byte[] dk = AttackerCms.random(32);
        byte[] other = AttackerCms.random(32);
        byte[] entry = planted(s, Wallets.EVM.alias(), dk, List.of(
                AttackerCms.rsaRecipient(victim.kekVersion(), victim.publicKey(), dk), escrowRecipient(other)));
        assertThrows(KeyCommitmentException.class, () -> EscrowOpener.of(ESCROW.getPrivate())
                .open(CmsEnvelope.parse(entry)));
        // The genuine entry with its escrow recipient swapped for one of another key: the same refusal, in recovery.
        Files.delete(victim.kekFile);
        s.replace(Wallets.EVM.alias(), entry);
        RecoveryReport r = recover(Files.write(dir.resolve("swapped.dsks"), s.toBytes()), true);
        assertTrue(r.failures().get(Wallets.EVM.alias()).contains("commits to"), r.failures().toString());
    }

    @Test
    void whenTheStoreKeyIsGoneRecoveryFlagsWhatItCannotAuthenticate() throws Exception {
        ForgedStore s = ForgedStore.parse(Files.readAllBytes(file));
        byte[] dk = AttackerCms.random(32);
        // A1's best plant: a KEK recipient made with the public key, and an escrow recipient, under a new alias.
        s.add("planted", planted(s, "planted", dk, List.of(AttackerCms.rsaRecipient(victim.kekVersion(),
                victim.publicKey(), dk), escrowRecipient(dk))), AttackerCms.random(32));
        byte[] dk2 = AttackerCms.random(32);
        s.add("escrow-only", planted(s, "escrow-only", dk2, List.of(escrowRecipient(dk2))), AttackerCms.random(32));
        Path forged = Files.write(dir.resolve("forged.dsks"), s.toBytes());
        Files.delete(victim.kekFile); // the KEK is lost: no tag can be checked

        assertThrows(Recovery.UnauthenticatedException.class, () -> recover(forged, false));
        RecoveryReport r = recover(forged, true);
        assertEquals(false, r.storeKeyOpened());
        assertEquals(List.of(), r.authenticated());
        assertTrue(r.unauthenticated().contains("planted"), "restored, and flagged: " + r);
        assertEquals(5, r.unauthenticated().size());
        assertTrue(r.failures().get("escrow-only").contains("no KEK recipient"), r.failures().toString());
    }

    RecoveryReport recover(Path source, boolean accept) throws Exception {
        String run = source.getFileName() + "-" + (++runs);
        Path target = dir.resolve("restored-" + run);
        StoreContext ctx = StoreContext.of(StoreConfig.load(config));
        DynamicShareKeyStore dest;
        if (Files.exists(victim.kekFile)) {
            dest = victim.newKeyStore(config);
            dest.load(null, null);
        } else {
            Victim fresh = Victim.create(dir.resolve("fresh-" + run), "freshkek",
                    WrapAlgorithm.RSA_OAEP_256);
            dest = fresh.newKeyStore();
            dest.load(null, null);
        }
        return Recovery.run(source, ctx.keks(), EscrowOpener.of(ESCROW.getPrivate()), dest, target, 10, accept, null);
    }
}
