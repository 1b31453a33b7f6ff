package io.dynamicshare.escrow;

import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery with OpenSSL alone (README "Recovery with OpenSSL alone"): the real {@code openssl} binary opens entries
 * exported from a store, given only the escrow private key, and yields exactly the shares and walletMetadata that
 * were stored. Fails, never skips, when openssl is missing ({@code .ci/run} installs it).
 */
class OpenSslRecoveryTest {
    static final Path SCRIPT = Paths.get("../docs/escrow-recover.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    static String openssl() throws Exception {
        Processes.Result r = Processes.run(List.of("sh", "-c", "command -v openssl"), 30);
        assertEquals(0, r.exitCode(), "openssl is not installed: .ci/run installs it (apt-get install openssl)");
        String path = r.output().trim();
        Processes.Result v = Processes.run(List.of(path, "version"), 30);
        assertTrue(v.output().matches("(?s)OpenSSL [3-9]\\..*"), "OpenSSL 3.0 or later is needed: " + v.output());
        return path;
    }

    /** A store with every fixture wallet under a development KEK and {@code escrow}, written and loaded again. */
    DynamicShareKeyStore storeWithEscrow(Properties escrow) throws Exception {
        EscrowFixture.DevStore dev = new EscrowFixture.DevStore(dir.resolve("store"), escrow);
        Path file = dir.resolve("wallets.dsks");
        DynamicShareKeyStore ks = dev.newStore();
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            ks.setEntry(w.alias(), w.entry(), null);
        }
        ks.store(FileStoreParameter.of(file));
        return dev.open(file);
    }

    /** Runs docs/escrow-recover.sh on every entry and compares what it wrote with what was stored. */
    void scriptRecoversEveryWallet(DynamicShareKeyStore ks, Path key) throws Exception {
        openssl();
        for (EscrowFixture.Wallet w : EscrowFixture.WALLETS) {
            Path der = Files.write(dir.resolve(w.dir() + ".der"), ks.entryDer(w.alias()));
            Path out = dir.resolve("recovered-" + w.dir());
            Processes.Result r = Processes.run(List.of("sh", SCRIPT.toString(), der.toString(), key.toString(),
                    out.toString()), 120);
            assertEquals(0, r.exitCode(), r.output());
            assertTrue(r.output().contains("key commitment: ok"), r.output());
            assertArrayEquals(w.shares(), Files.readAllBytes(out.resolve("shares.json")), w.alias());
            assertArrayEquals(w.metadata(), Files.readAllBytes(out.resolve("metadata.json")), w.alias());
            assertEquals(w.alias(), Files.readString(out.resolve("alias.txt")));
        }
    }

    @Test
    void opensslAloneRecoversSharesAndMetadataWithACertificateEscrow() throws Exception {
        Path cert = EscrowFixture.pem(dir.resolve("escrow.crt"), EscrowFixture.certificate(EscrowFixture.ESCROW,
                "escrow", 4242));
        Path key = EscrowFixture.pem(dir.resolve("escrow.key"), EscrowFixture.ESCROW.getPrivate());
        scriptRecoversEveryWallet(storeWithEscrow(EscrowFixture.props("escrow.certificate", cert.toString())), key);
    }

    @Test
    void opensslAloneRecoversAHierarchicalEntry() throws Exception {
        // A branch recipient (a KEKRecipientInfo) beside the escrow recipient: the script skips it.
        Path key = EscrowFixture.pem(dir.resolve("escrow.key"), EscrowFixture.ESCROW.getPrivate());
        Path cert = EscrowFixture.pem(dir.resolve("escrow.crt"), EscrowFixture.certificate(EscrowFixture.ESCROW, "e", 3));
        java.util.Properties p = EscrowFixture.props("escrow.certificate", cert.toString());
        p.setProperty("kek.mode", "hierarchical");
        DynamicShareKeyStore ks = storeWithEscrow(p);
        assertTrue(io.dynamicshare.envelope.CmsEnvelope.parse(ks.entryDer(EscrowFixture.WALLETS.get(0).alias()))
                .branchRecipient() != null, "hierarchical");
        scriptRecoversEveryWallet(ks, key);
    }

    @Test
    void opensslAloneRecoversSharesWithABarePublicKeyEscrow() throws Exception {
        Path pub = EscrowFixture.pem(dir.resolve("escrow.pub"), EscrowFixture.ESCROW.getPublic());
        Path key = EscrowFixture.pem(dir.resolve("escrow.key"), EscrowFixture.ESCROW.getPrivate());
        scriptRecoversEveryWallet(storeWithEscrow(EscrowFixture.props("escrow.publicKey", pub.toString())), key);
    }

    @Test
    void theScriptRefusesAnotherEscrowKey() throws Exception {
        openssl();
        Path cert = EscrowFixture.pem(dir.resolve("escrow.crt"), EscrowFixture.certificate(EscrowFixture.ESCROW,
                "escrow", 4242));
        Path other = EscrowFixture.pem(dir.resolve("other.key"), EscrowFixture.NEXT_ESCROW.getPrivate());
        DynamicShareKeyStore ks = storeWithEscrow(EscrowFixture.props("escrow.certificate", cert.toString()));
        EscrowFixture.Wallet w = EscrowFixture.WALLETS.get(0);
        Path der = Files.write(dir.resolve("entry.der"), ks.entryDer(w.alias()));
        Processes.Result r = Processes.run(List.of("sh", SCRIPT.toString(), der.toString(), other.toString(),
                dir.resolve("out").toString()), 120);
        assertNotEquals(0, r.exitCode());
        assertTrue(r.output().contains("no recipient of this entry opens with this escrow key"), r.output());
        assertTrue(Files.notExists(dir.resolve("out/shares.json")));
    }

    /**
     * {@code openssl cms -decrypt} itself: correct where OpenSSL has the RFC 5083 authAttrs fix (openssl/openssl
     * PR #31695: authAttrs are [1] and feed the GCM AAD); OpenSSL 3.0.19 and other releases before it cannot parse
     * an AuthEnvelopedData with authenticated attributes (openssl/openssl#26101), which every entry has. This test
     * holds the binary to one of the two: the exact shares, or that documented parse failure and no output.
     */
    @Test
    void opensslCmsDecryptGivesTheSharesOrTheKnownAuthAttrsParseFailure() throws Exception {
        String openssl = openssl();
        Path cert = EscrowFixture.pem(dir.resolve("escrow.crt"), EscrowFixture.certificate(EscrowFixture.ESCROW,
                "escrow", 4242));
        Path key = EscrowFixture.pem(dir.resolve("escrow.key"), EscrowFixture.ESCROW.getPrivate());
        DynamicShareKeyStore ks = storeWithEscrow(EscrowFixture.props("escrow.certificate", cert.toString()));
        EscrowFixture.Wallet w = EscrowFixture.WALLETS.get(1);
        Path der = Files.write(dir.resolve("entry.der"), ks.entryDer(w.alias()));
        Path out = dir.resolve("shares.json");
        Processes.Result r = Processes.run(List.of(openssl, "cms", "-decrypt", "-inform", "DER", "-in", der.toString(),
                "-inkey", key.toString(), "-recip", cert.toString(), "-out", out.toString()), 60);
        if (r.exitCode() == 0) {
            assertArrayEquals(w.shares(), Files.readAllBytes(out));
        } else {
            assertTrue(r.output().contains("Type=CMS_AuthEnvelopedData"), r.output());
            assertTrue(Files.notExists(out) || Files.size(out) == 0, "no plaintext without authentication");
        }
    }
}
