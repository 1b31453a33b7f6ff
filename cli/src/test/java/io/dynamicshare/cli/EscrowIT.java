package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.escrow.EscrowOpener;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The escrow commands as an operator runs them: inventory, rewrap, verify --escrow-key, export-entry, recover. */
class EscrowIT {
    private static final String[] WALLETS = {"evm-2of2", "btc-taproot-2of2", "svm-2of2"};
    static KeyPair escrow;

    @TempDir
    Path work;
    DevKek kek;
    Path store;
    Path key;

    @BeforeAll
    static void escrowKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(3072);
        escrow = g.generateKeyPair();
    }

    @BeforeEach
    void seed() throws Exception {
        kek = DevKek.create(work, "es");
        store = kek.seed(work.resolve("w.dsks"), WALLETS);
        X500Name name = new X500Name("CN=cli escrow");
        try (Writer w = Files.newBufferedWriter(work.resolve("escrow.crt")); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(new JcaX509v3CertificateBuilder(name, BigInteger.TWO, new Date(),
                    new Date(System.currentTimeMillis() + 86_400_000L), name, escrow.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(escrow.getPrivate())));
        }
        key = work.resolve("escrow.key");
        try (Writer w = Files.newBufferedWriter(key); JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(new JcaPKCS8Generator(escrow.getPrivate(), null));
        }
    }

    private Cli.Result run(Path config, String... command) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.Arrays.asList(command));
        args.addAll(java.util.List.of("--config", config.toString(), "--store", store.toString()));
        return Cli.in(work).run(args);
    }

    private Path escrowConfig(DevKek k) throws Exception {
        Files.writeString(k.config, Files.readString(k.config) + "escrow.certificate=escrow.crt\n");
        return k.config;
    }

    @Test
    void rewrapAddsEscrowVerifyOpensWithItAndExportEntryWritesTheEntry() throws Exception {
        Path config = escrowConfig(kek);
        JsonNode before = run(config, "inventory", "--json").expect(0).json();
        assertEquals(3, before.get("entriesWithoutEscrow").asInt());
        assertTrue(run(config, "inventory").expect(0).out().contains("run 'dynamicshare rewrap'"));
        run(config, "rewrap").expect(0);
        JsonNode after = run(config, "inventory", "--json").expect(0).json();
        assertEquals(3, after.get("entriesWithEscrow").asInt());
        assertEquals(0, after.get("entriesWithoutEscrow").asInt());
        Cli.Result v = run(config, "verify", "--escrow-key", key.toString()).expect(0);
        assertTrue(v.out().contains("3 of 3 entries open with their KEK and with the escrow key"), v.out());

        String alias = "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A";
        Path der = work.resolve("entry.der");
        run(config, "export-entry", alias, "--der", "--out", der.toString()).expect(0);
        DynamicShareKeyStore ks = kek.newKeyStore();
        ks.load(FileStoreParameter.of(store));
        assertArrayEquals(ks.entryDer(alias), Files.readAllBytes(der));
        assertArrayEquals(Fixtures.bytes("evm-2of2/server-key-shares.json"),
                EscrowOpener.of(escrow.getPrivate()).open(CmsEnvelope.parse(Files.readAllBytes(der))));
        run(config, "export-entry", alias, "--der", "--out", der.toString()).expect(2);
    }

    @Test
    void recoverRestoresAStoreWhoseKekIsGoneAndReportsItUnauthenticated() throws Exception {
        run(escrowConfig(kek), "rewrap").expect(0);
        Files.delete(kek.kekFile);
        DevKek fresh = DevKek.create(work, "nk");
        Path config = escrowConfig(fresh);
        Path target = work.resolve("new.dsks");
        Cli.Result refused = run(config, "recover", "--escrow-key", key.toString(), "--to", target.toString());
        refused.expect(4);
        assertTrue(refused.err().contains("--accept-unauthenticated"), refused.err());

        Cli.Result r = run(config, "recover", "--escrow-key", key.toString(), "--to", target.toString(),
                "--accept-unauthenticated", "--batch", "2");
        r.expect(1);
        assertTrue(r.out().contains("store key: NOT opened"), r.out());
        assertTrue(r.out().contains("restored, unauthenticated: 3"), r.out());
        assertEquals(3, r.out().split("UNAUTHENTICATED ", -1).length - 1, r.out());
        DynamicShareKeyStore ks = fresh.newKeyStore();
        ks.load(FileStoreParameter.of(target));
        assertEquals(3, ks.size());
        assertArrayEquals(Fixtures.bytes("svm-2of2/server-key-shares.json"),
                ks.getKey("8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjsa5iiGNBJ", null).getEncoded());

        // A rerun resumes: everything is already there.
        Cli.Result again = run(config, "recover", "--escrow-key", key.toString(), "--to", target.toString(),
                "--accept-unauthenticated", "--json");
        assertEquals(3, again.json().get("alreadyPresent").size());
    }
}
