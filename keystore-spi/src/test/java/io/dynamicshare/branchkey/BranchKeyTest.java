package io.dynamicshare.branchkey;

import io.dynamicshare.envelope.BranchRecipient;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekPolicy;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.storekey.AnchoredKey;
import io.dynamicshare.storekey.KeyPurpose;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Branch key wrapping (binding to alias, store and version) and the cache of unwrapped versions (TTL, zeroing). */
class BranchKeyTest {
    static final SecureRandom RANDOM = new SecureRandom();

    /** An AES KEK in memory that counts its unwraps: the vault, as far as these tests need one. */
    static final class CountingAesKek implements Kek {
        final SecretKeySpec key;
        final AtomicInteger unwraps = new AtomicInteger();
        volatile boolean down;

        CountingAesKek() {
            byte[] k = new byte[32];
            RANDOM.nextBytes(k);
            key = new SecretKeySpec(k, "AES");
        }

        @Override
        public String keyName() {
            return "devkek:test";
        }

        @Override
        public KekId newestVersion() {
            return KekId.of("devkek:test/v1");
        }

        @Override
        public WrappedKey wrap(byte[] k) throws KekException {
            try {
                return new WrappedKey(newestVersion(), WrapAlgorithm.AES_KW_256, KeyWrapCiphers.aesKeyWrap(key, k));
            } catch (GeneralSecurityException e) {
                throw new KekException(keyName(), e.getMessage());
            }
        }

        @Override
        public byte[] unwrap(WrappedKey wrapped) throws KekException {
            if (down) {
                throw new KekException(keyName(), "the vault is down");
            }
            unwraps.incrementAndGet();
            try {
                return KeyWrapCiphers.aesKeyUnwrap(key, wrapped.bytes());
            } catch (GeneralSecurityException e) {
                throw new KekException(keyName(), e.getMessage());
            }
        }

        @Override
        public KekSignature sign(byte[] message) throws KekException {
            throw new KekException(keyName(), "an AES key does not sign");
        }

        @Override
        public boolean verify(KekId signer, byte[] message, byte[] signature) throws KekException {
            throw new KekException(keyName(), "an AES key does not sign");
        }
    }

    static byte[] storeId() {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        return id;
    }

    @Test
    void aWrapOpensOnlyForItsAliasStoreAndVersion() throws Exception {
        byte[] storeId = storeId();
        BranchKey v1 = new BranchKey(AnchoredKey.generate(KeyPurpose.BRANCH_KEY, storeId, 1));
        byte[] dek = new byte[32];
        RANDOM.nextBytes(dek);
        BranchRecipient r = v1.wrap(dek, "0xA9bb");
        assertEquals(1, r.version());
        assertArrayEquals(dek, v1.unwrap(r, "0xA9bb"));
        assertThrows(GeneralSecurityException.class, () -> v1.unwrap(r, "0xA9bc"), "another alias");
        BranchRecipient again = v1.wrap(dek, "0xA9bb");
        assertFalse(java.util.Arrays.equals(r.salt(), again.salt()), "a fresh salt per write");
        BranchKey v2 = new BranchKey(AnchoredKey.generate(KeyPurpose.BRANCH_KEY, storeId, 2));
        assertThrows(IllegalArgumentException.class, () -> v2.unwrap(r, "0xA9bb"), "another version");
        BranchRecipient relabelled = new BranchRecipient(2, r.salt(), r.encryptedKey());
        assertThrows(GeneralSecurityException.class, () -> v2.unwrap(relabelled, "0xA9bb"), "another version's key");
        v1.destroy();
        assertThrows(IllegalStateException.class, () -> v1.unwrap(r, "0xA9bb"), "a zeroed key is never used");
    }

    @Test
    void aVersionIsUnwrappedOncePerCachePeriodAndZeroedWhenDropped() throws Exception {
        CountingAesKek kek = new CountingAesKek();
        TrustedKeks keks = new TrustedKeks(ref -> kek, KekPolicy.of("devkek:test", Collections.emptyList(), "test"));
        byte[] storeId = storeId();
        StoreKeyBlock block = StoreKeyAnchor.anchor(AnchoredKey.generate(KeyPurpose.BRANCH_KEY, storeId, 1), kek);
        AtomicLong now = new AtomicLong();
        BranchKeyCache cache = new BranchKeyCache(1000, now::get);

        BranchKey first = cache.use(block, storeId, keks, k -> k);
        assertSame(first, cache.use(block, storeId, keks, k -> k));
        assertEquals(1, kek.unwraps.get(), "one unwrap for two uses within the period");

        kek.down = true; // an outage: the cached version keeps working until it expires
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertSame(first, cache.use(block, storeId, keks, k -> k));
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
        assertThrows(KekException.class, () -> cache.use(block, storeId, keks, k -> k));
        assertTrue(first.isDestroyed(), "the expired version was zeroed when it was dropped");

        kek.down = false;
        BranchKey second = cache.use(block, storeId, keks, k -> k);
        assertNotSame(first, second);
        assertEquals(2, kek.unwraps.get());
        cache.clear();
        assertTrue(second.isDestroyed());
        assertEquals(0, cache.size());
    }
}
