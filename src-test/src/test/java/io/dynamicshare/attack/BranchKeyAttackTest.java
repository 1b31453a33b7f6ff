package io.dynamicshare.attack;

import io.dynamicshare.branchkey.BranchKeyCache;
import io.dynamicshare.branchkey.BranchKeyStorage;
import io.dynamicshare.branchkey.BranchKeyring;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.store.file.FileBackend;
import io.dynamicshare.storekey.StoreKeyBlock;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.dynamicshare.attack.Causes.assertContains;
import static io.dynamicshare.attack.Causes.messages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A1 against hierarchical mode (docs/SECURITY.md, "Branch keys"). A1 writes the store (the file, or the rows of a
 * database), knows every public key, and cannot use the vault. In a file the file MAC already covers the branch key
 * blocks and the entry tags cover each branch recipient; a database authenticates each row on its own, so the
 * tests below also go through the {@link BranchKeyStorage} seam with rows A1 chose: every branch key block must be
 * anchored by itself (signature or AES wrap, bound to its purpose, store and version), and every branch recipient
 * must unwrap only for its own alias, store and version.
 */
class BranchKeyAttackTest {
    @TempDir
    Path dir;

    /** A store as A1 writes it: branch key blocks of A1's choosing under a store id of A1's choosing. */
    static final class Rows implements BranchKeyStorage {
        final byte[] storeId;
        final List<StoreKeyBlock> blocks = new ArrayList<>();

        Rows(byte[] storeId, StoreKeyBlock... blocks) {
            this.storeId = storeId.clone();
            this.blocks.addAll(Arrays.asList(blocks));
        }

        @Override
        public byte[] storeId() {
            return storeId.clone();
        }

        @Override
        public List<StoreKeyBlock> branchKeyBlocks() {
            return blocks;
        }

        @Override
        public boolean addBranchKeyBlock(StoreKeyBlock block) {
            if (blocks.stream().anyMatch(b -> b.epoch() == block.epoch())) {
                return false;
            }
            blocks.add(block);
            return true;
        }

        @Override
        public void replaceBranchKeyBlock(StoreKeyBlock block) {
            blocks.removeIf(b -> b.epoch() == block.epoch());
            blocks.add(block);
        }

        @Override
        public void removeBranchKeyBlock(long version) {
            blocks.removeIf(b -> b.epoch() == version);
        }
    }

    /** A victim store in hierarchical mode, loaded as the application loads it (no branch key unwrapped yet). */
    record Genuine(Victim victim, StoreContext ctx, FileBackend backend, byte[] file) {
        BranchKeyring freshRing() {
            return new BranchKeyring(ctx.keks(), new BranchKeyCache(60_000));
        }

        BranchRecipient recipient(String alias) throws Exception {
            return backend.record(alias).sealed.branchRecipient();
        }
    }

    Genuine genuine(String name, WrapAlgorithm algorithm) throws Exception {
        Victim v = Victim.create(dir.resolve(name), name, algorithm);
        Path cfg = v.config("hierarchical.properties", p -> {
            p.setProperty("kek.mode", "hierarchical");
            return p;
        });
        DynamicShareKeyStore ks = v.newKeyStore(cfg);
        ks.load(null, null);
        for (Wallets.Wallet w : List.of(Wallets.EVM, Wallets.BTC)) {
            ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        }
        byte[] file = Victim.bytes(ks);
        StoreContext ctx = StoreContext.of(StoreConfig.load(cfg));
        return new Genuine(v, ctx, FileBackend.load(ctx, new ByteArrayInputStream(file), 0), file);
    }

    static byte[] unwrapped(Genuine g, Rows rows, String alias, BranchRecipient r) throws GeneralSecurityException {
        return g.freshRing().unwrap(rows, rows.storeId(), r, alias);
    }

    @Test
    void theGenuineRowsOpenThroughTheSeam() throws Exception {
        Genuine g = genuine("control", WrapAlgorithm.RSA_OAEP_256);
        Rows rows = new Rows(g.backend.storeId(), g.backend.branchKeyBlocks().get(0));
        byte[] dek = unwrapped(g, rows, Wallets.EVM.alias(), g.recipient(Wallets.EVM.alias()));
        assertEquals(32, dek.length, "the control: the seam opens what the store wrote");
    }

    @Test
    void plantedBranchKeyBlockIsNotAnchoredSoNoWriteUsesIt() throws Exception {
        Genuine g = genuine("planted", WrapAlgorithm.RSA_OAEP_256);
        byte[] storeId = g.backend.storeId();
        // A1's own branch key "v2", wrapped with the public key under the victim's KEK id, with no signature: if the
        // store took it, every new wallet would be wrapped under a key A1 knows.
        byte[] k = AttackerCms.random(32);
        byte[] plaintext = StoreCrypto.concat(k, StoreCrypto.sha256(StoreCrypto.ascii("DynamicShareKeyStore/3 branch key"),
                storeId, StoreCrypto.u64(2)));
        StoreCrypto.Block forged = new StoreCrypto.Block(2,
                StoreCrypto.hmac(k, StoreCrypto.ascii("DynamicShareKeyStore/3 branch key commitment")),
                List.of(AttackerCms.rsaRecipient(g.victim.kekVersion(), g.victim.publicKey(), plaintext)), List.of());
        Rows rows = new Rows(storeId, g.backend.branchKeyBlocks().get(0), StoreKeyBlock.decode(forged.encode()));
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class, () -> g.freshRing()
                .wrap(rows, g.ctx.keks().writeKek(), new byte[32], "new-wallet"));
        assertContains(messages(e), "branch key is not anchored", "no allowed KEK signed it");
        // And signed by a key the configuration does not allow: not made by the newest version of the write KEK
        // alone, so the writer does not even try it (nothing fetched for the other signer): it makes version 3 and
        // wraps under that, leaving the planted v2 unused.
        StoreCrypto.Block signedElsewhere = forged.withSignatures(List.of(new StoreCrypto.Sig("devkek:attacker/v1",
                new byte[384])));
        StoreKeyBlock planted = StoreKeyBlock.decode(signedElsewhere.encode());
        Rows rows2 = new Rows(storeId, planted);
        BranchRecipient r = g.freshRing().wrap(rows2, g.ctx.keks().writeKek(), new byte[32], "new-wallet");
        assertEquals(3, r.version(), "a fresh version, not the planted v2");
        var newest = g.ctx.keks().writeKek().newestVersion();
        assertTrue(rows2.blocks.stream().anyMatch(b -> b.epoch() == 3 && b.madeBy(newest)),
                "v3 is the writer's own, made by the newest KEK version");
        assertTrue(rows2.blocks.contains(planted), "the planted block is left as it was");
    }

    @Test
    void relabelledVersionIsRefusedRsaAndAes() throws Exception {
        for (WrapAlgorithm alg : WrapAlgorithm.values()) {
            Genuine g = genuine("relabel-" + alg.jwaName().toLowerCase(), alg);
            StoreKeyBlock v1 = g.backend.branchKeyBlocks().get(0);
            StoreCrypto.Block b = StoreCrypto.Block.decode(v1.encode());
            StoreKeyBlock asV7 = StoreKeyBlock.decode(new StoreCrypto.Block(7, b.commitment(), b.recipients(),
                    b.signatures()).encode());
            Rows rows = new Rows(g.backend.storeId(), asV7);
            // The entry's recipient, renamed to version 7 (its DER is A1's to edit in a row).
            BranchRecipient r = g.recipient(Wallets.EVM.alias());
            BranchRecipient renamed = new BranchRecipient(7, r.salt(), r.encryptedKey());
            String m = messages(assertThrows(GeneralSecurityException.class,
                    () -> unwrapped(g, rows, Wallets.EVM.alias(), renamed)));
            assertContains(m, alg == WrapAlgorithm.RSA_OAEP_256 ? "does not verify"
                    : "wrapped for another purpose, store or version");
        }
    }

    @Test
    void storeKeyBlockCannotPassForABranchKeyBlock() throws Exception {
        for (WrapAlgorithm alg : WrapAlgorithm.values()) {
            Genuine g = genuine("storekey-" + alg.jwaName().toLowerCase(), alg);
            // Same store, number 1 for both: only the purpose tells them apart.
            Rows rows = new Rows(g.backend.storeId(), g.backend.storeKeyBlock());
            String m = messages(assertThrows(GeneralSecurityException.class,
                    () -> unwrapped(g, rows, Wallets.EVM.alias(), g.recipient(Wallets.EVM.alias()))));
            assertContains(m, alg == WrapAlgorithm.RSA_OAEP_256 ? "does not verify"
                    : "wrapped for another purpose, store or version");
        }
    }

    @Test
    void anotherStoresBranchKeyBlockOrRecipientIsRefused() throws Exception {
        Genuine one = genuine("one", WrapAlgorithm.AES_KW_256);
        // A second store under the same KEK (another environment or tenant).
        Path cfg = one.victim.config("hierarchical.properties", p -> {
            p.setProperty("kek.mode", "hierarchical");
            return p;
        });
        DynamicShareKeyStore other = one.victim.newKeyStore(cfg);
        other.load(null, null);
        other.setEntry(Wallets.EVM.alias(), WalletEntry.of(Wallets.EVM.shares(), Wallets.EVM.metadata()), null);
        FileBackend two = FileBackend.load(one.ctx, new ByteArrayInputStream(Victim.bytes(other)), 0);

        Rows withTheirBlock = new Rows(one.backend.storeId(), two.branchKeyBlocks().get(0));
        assertContains(messages(assertThrows(GeneralSecurityException.class, () -> unwrapped(one, withTheirBlock,
                Wallets.EVM.alias(), one.recipient(Wallets.EVM.alias())))), "another purpose, store or version");

        // Their entry's recipient for the same alias and version, moved into store one: another store's wrapping key.
        Rows ours = new Rows(one.backend.storeId(), one.backend.branchKeyBlocks().get(0));
        BranchRecipient theirs = two.record(Wallets.EVM.alias()).sealed.branchRecipient();
        assertEquals(1, theirs.version());
        assertContains(messages(assertThrows(GeneralSecurityException.class,
                () -> unwrapped(one, ours, Wallets.EVM.alias(), theirs))), "moved from another alias, store or version");
    }

    @Test
    void branchRecipientMovedToAnotherAliasDoesNotUnwrap() throws Exception {
        Genuine g = genuine("moved", WrapAlgorithm.RSA_OAEP_256);
        Rows rows = new Rows(g.backend.storeId(), g.backend.branchKeyBlocks().get(0));
        BranchRecipient evm = g.recipient(Wallets.EVM.alias());
        assertContains(messages(assertThrows(GeneralSecurityException.class,
                () -> unwrapped(g, rows, Wallets.BTC.alias(), evm))), "moved from another alias, store or version");
    }

    @Test
    void inTheFileTheMacCoversBranchKeyBlocksAndEntryTagsCoverRecipients() throws Exception {
        Genuine g = genuine("file", WrapAlgorithm.RSA_OAEP_256);
        byte[] file = g.file;
        assertEquals(3, ((file[8] & 0xff) << 8) | (file[9] & 0xff), "a hierarchical store is container format 3");
        byte[] block = g.backend.branchKeyBlocks().get(0).encode();
        int at = indexOf(file, block);
        assertTrue(at > 0);

        // A byte of the branch key block changed (its commitment, say).
        byte[] edited = file.clone();
        edited[at + 12] ^= 1;
        assertContains(messages(assertThrows(StoreIntegrityException.class, () -> g.victim.open(edited))),
                "integrity check");

        // The branch recipient of one entry swapped into the other: the entry's DER changed, its tag does not match.
        RecipientInfo evm = g.recipient(Wallets.EVM.alias()).toRecipientInfo();
        RecipientInfo btc = g.recipient(Wallets.BTC.alias()).toRecipientInfo();
        byte[] evmDer = evm.getEncoded("DER");
        byte[] btcDer = btc.getEncoded("DER");
        assertEquals(evmDer.length, btcDer.length);
        byte[] swapped = file.clone();
        int e = indexOf(swapped, evmDer);
        System.arraycopy(btcDer, 0, swapped, e, btcDer.length);
        assertContains(messages(assertThrows(StoreIntegrityException.class, () -> g.victim.open(swapped))),
                "fails its entry tag");

        // The genuine file, for contrast.
        assertArrayEquals(Wallets.EVM.shares(), g.victim.open(file).getKey(Wallets.EVM.alias(), null).getEncoded());
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
