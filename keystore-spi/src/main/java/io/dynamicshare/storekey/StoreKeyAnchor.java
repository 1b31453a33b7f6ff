package io.dynamicshare.storekey;

import io.dynamicshare.envelope.KeyCommitment;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Makes and opens store key blocks so that only the holder of an allowed KEK can have made one
 * (docs/SECURITY.md, "Authenticity comes from a secret only the vault holds"):
 * <ul>
 *   <li>an AES KEK's wrap (RFC 3394, authenticated, needs the key) anchors the store key by itself;</li>
 *   <li>an RSA KEK's wrap proves nothing (the public key is public), so the KEK also signs the statement
 *       {@link StoreKeyBlock#statement}, and the reader verifies that signature before it unwraps.</li>
 * </ul>
 * Either way every recipient that is used must unwrap to the committed key.
 *
 * <pre>{@code
 * StoreKeyAnchor.Made m = StoreKeyAnchor.create(storeId, 1, keks);   // one sign (RSA) or wrapKey (AES) call
 * StoreKey k = StoreKeyAnchor.open(m.block, storeId, keks);          // one unwrapKey call, plus getKey once (RSA)
 * }</pre>
 */
public final class StoreKeyAnchor {
    private StoreKeyAnchor() {
    }

    /** A new store key and the block that carries it. */
    public static final class Made {
        public final StoreKey key;
        public final StoreKeyBlock block;

        Made(StoreKey key, StoreKeyBlock block) {
            this.key = key;
            this.block = block;
        }
    }

    /**
     * A fresh store key for {@code epoch}, wrapped for the configured write KEK (and signed by it, for RSA).
     *
     * @throws KekException if the store is read-only or the key service fails
     */
    public static Made create(byte[] storeId, long epoch, TrustedKeks keks) throws KekException {
        StoreKey key = StoreKey.generate(storeId, epoch);
        boolean ok = false;
        try {
            StoreKeyBlock block = wrapFor(key, keks.writeKek());
            ok = true;
            return new Made(key, block);
        } finally {
            if (!ok) {
                key.destroy();
            }
        }
    }

    /** The same store key, wrapped (and, for RSA, signed) anew by the newest version of {@code kek}. */
    public static StoreKeyBlock rewrap(StoreKey key, Kek kek) throws KekException {
        return wrapFor(key, kek);
    }

    private static StoreKeyBlock wrapFor(StoreKey key, Kek kek) throws KekException {
        // RSA: wrap and sign must name the same version; a rotation between the two calls means try again.
        for (int attempt = 0; attempt < 3; attempt++) {
            byte[] block = key.toBlock();
            WrappedKey wrapped;
            try {
                wrapped = kek.wrap(block);
            } finally {
                java.util.Arrays.fill(block, (byte) 0);
            }
            if (wrapped.algorithm() != WrapAlgorithm.RSA_OAEP_256) {
                return new StoreKeyBlock(key.epoch(), key.commitment(), Collections.singletonList(wrapped),
                        Collections.<KekSignature>emptyList());
            }
            KekSignature s = kek.sign(StoreKeyBlock.statement(key.storeId(), key.epoch(), key.commitment(),
                    wrapped.kekId()));
            if (s.signer().equals(wrapped.kekId())) {
                return new StoreKeyBlock(key.epoch(), key.commitment(), Collections.singletonList(wrapped),
                        Collections.singletonList(s));
            }
        }
        throw new KekException(kek.keyName(), "the key's newest version kept changing while the store key was "
                + "wrapped and signed; try again");
    }

    /**
     * Opens a store key block read from a store. Ids the configuration does not allow are never contacted.
     *
     * @throws io.dynamicshare.kek.KekNotAllowedException if no recipient is allowed
     * @throws StoreKeyException if the block is not anchored (no valid signature from an allowed RSA KEK where
     *         one is needed), is wrapped for another purpose, store or epoch, or does not match its commitment
     * @throws KekException if every allowed key service failed
     */
    public static StoreKey open(StoreKeyBlock block, byte[] storeId, TrustedKeks keks)
            throws KekException, StoreKeyException {
        List<WrappedKey> allowed = new ArrayList<>();
        for (WrappedKey w : block.recipients()) {
            if (keks.policy().allows(w.kekId())) {
                allowed.add(w);
            }
        }
        if (allowed.isEmpty()) {
            keks.policy().check(block.recipients().get(0).kekId());
        }
        boolean signed = false;
        KekException last = null;
        for (WrappedKey w : allowed) {
            if (w.algorithm() == WrapAlgorithm.RSA_OAEP_256 && !signed) {
                requireSignature(block, storeId, keks);
                signed = true;
            }
            byte[] unwrapped;
            try {
                unwrapped = keks.forId(w.kekId()).unwrap(w);
            } catch (KekException e) {
                last = e;
                continue;
            }
            StoreKey key = StoreKey.fromBlock(unwrapped, storeId, block.epoch());
            byte[] c = key.commitment();
            if (!java.security.MessageDigest.isEqual(c, block.commitment())) {
                key.destroy();
                throw new StoreKeyException("the store key unwrapped by " + w.kekId() + " is not the one the store "
                        + "key block commits to: its recipients hold different keys");
            }
            return key;
        }
        throw last;
    }

    private static void requireSignature(StoreKeyBlock block, byte[] storeId, TrustedKeks keks)
            throws KekException, StoreKeyException {
        for (KekSignature s : block.signatures()) {
            if (!keks.policy().allows(s.signer())) {
                continue;
            }
            byte[] statement = StoreKeyBlock.statement(storeId, block.epoch(), block.commitment(), s.signer());
            if (keks.forId(s.signer()).verify(s.signer(), statement, s.value())) {
                return;
            }
            throw new StoreKeyException("the store key's signature by " + s.signer() + " does not verify: the store "
                    + "key block was forged or altered");
        }
        throw new StoreKeyException("the store key is not anchored: it is wrapped with an RSA KEK, whose public key "
                + "anyone can use, and no allowed KEK signed it (" + block.signatures().size() + " signature(s) by "
                + "keys the configuration does not allow)");
    }
}
