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
        return wrapFor(key.anchored(), kek);
    }

    /**
     * Wraps (and, for RSA, signs) any anchored key, a branch key for instance, with the newest version of {@code kek}:
     * one vault {@code sign} (RSA; the wrap is local) or {@code wrapKey} (AES).
     *
     * @throws KekException if the key service fails
     */
    public static StoreKeyBlock anchor(AnchoredKey key, Kek kek) throws KekException {
        return wrapFor(key, kek);
    }

    private static StoreKeyBlock wrapFor(StoreKey key, Kek kek) throws KekException {
        return wrapFor(key.anchored(), kek);
    }

    private static StoreKeyBlock wrapFor(AnchoredKey key, Kek kek) throws KekException {
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
                return new StoreKeyBlock(key.number(), key.commitment(), Collections.singletonList(wrapped),
                        Collections.<KekSignature>emptyList());
            }
            KekSignature s = kek.sign(StoreKeyBlock.statement(key.purpose(), key.storeId(), key.number(),
                    key.commitment(), wrapped.kekId()));
            if (s.signer().equals(wrapped.kekId())) {
                return new StoreKeyBlock(key.number(), key.commitment(), Collections.singletonList(wrapped),
                        Collections.singletonList(s));
            }
        }
        throw new KekException(kek.keyName(), "the key's newest version kept changing while the "
                + key.purpose().keyName() + " was wrapped and signed; try again");
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
        return new StoreKey(open(KeyPurpose.STORE_KEY, block, storeId, keks));
    }

    /**
     * Opens a block of any {@link KeyPurpose} (a branch key version's, say) exactly as {@link #open(StoreKeyBlock,
     * byte[], TrustedKeks)} opens the store key's: policy first, the signature verified before an RSA unwrap, then
     * the purpose tag (this purpose, store and number) and the commitment. One vault {@code unwrapKey}, plus
     * {@code getKey} once per RSA signer whose public key is not yet cached.
     *
     * @return the key; the caller destroys it
     * @throws io.dynamicshare.kek.KekNotAllowedException if no recipient is allowed
     * @throws StoreKeyException if the block is not anchored, made for another purpose, store or number, or does
     *         not match its commitment
     * @throws KekException if every allowed key service failed
     */
    public static AnchoredKey open(KeyPurpose purpose, StoreKeyBlock block, byte[] storeId, TrustedKeks keks)
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
                requireSignature(purpose, block, storeId, keks);
                signed = true;
            }
            byte[] unwrapped;
            try {
                unwrapped = keks.forId(w.kekId()).unwrap(w);
            } catch (KekException e) {
                last = e;
                continue;
            }
            AnchoredKey key = AnchoredKey.fromBlock(purpose, unwrapped, storeId, block.epoch());
            byte[] c = key.commitment();
            if (!java.security.MessageDigest.isEqual(c, block.commitment())) {
                key.destroy();
                throw new StoreKeyException("the " + purpose.keyName() + " unwrapped by " + w.kekId() + " is not the "
                        + "one the " + purpose.keyName() + " block commits to: its recipients hold different keys");
            }
            return key;
        }
        throw last;
    }

    private static void requireSignature(KeyPurpose purpose, StoreKeyBlock block, byte[] storeId, TrustedKeks keks)
            throws KekException, StoreKeyException {
        for (KekSignature s : block.signatures()) {
            if (!keks.policy().allows(s.signer())) {
                continue;
            }
            byte[] statement = StoreKeyBlock.statement(purpose, storeId, block.epoch(), block.commitment(), s.signer());
            if (keks.forId(s.signer()).verify(s.signer(), statement, s.value())) {
                return;
            }
            throw new StoreKeyException("the " + purpose.keyName() + "'s signature by " + s.signer() + " does not "
                    + "verify: the " + purpose.keyName() + " block was forged or altered");
        }
        throw new StoreKeyException("the " + purpose.keyName() + " is not anchored: it is wrapped with an RSA KEK, "
                + "whose public key "
                + "anyone can use, and no allowed KEK signed it (" + block.signatures().size() + " signature(s) by "
                + "keys the configuration does not allow)");
    }
}
