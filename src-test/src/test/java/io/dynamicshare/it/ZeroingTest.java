package io.dynamicshare.it;

import io.dynamicshare.audit.JulAuditSink;
import io.dynamicshare.cache.DataKeyCache;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.StoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data keys are zeroed when the store is done with them: the copy handed to the KEK for wrapping, and
 * the array the KEK returns from unwrapping, once it leaves the cache (or at once with caching off).
 */
class ZeroingTest {
    @TempDir
    Path dir;

    /** A KEK that remembers every data-key array that passed through it. */
    static final class SpyKek implements Kek {
        final Kek real;
        final List<byte[]> wrapInputs = new CopyOnWriteArrayList<>();
        final List<byte[]> unwrapOutputs = new CopyOnWriteArrayList<>();

        SpyKek(Kek real) {
            this.real = real;
        }

        @Override
        public String keyName() {
            return real.keyName();
        }

        @Override
        public KekId newestVersion() throws KekException {
            return real.newestVersion();
        }

        @Override
        public WrappedKey wrap(byte[] dataKey) throws KekException {
            wrapInputs.add(dataKey);
            return real.wrap(dataKey);
        }

        @Override
        public byte[] unwrap(WrappedKey wrapped) throws KekException {
            byte[] k = real.unwrap(wrapped);
            unwrapOutputs.add(k);
            return k;
        }

        @Override
        public KekSignature sign(byte[] message) throws KekException {
            return real.sign(message);
        }

        @Override
        public boolean verify(KekId signer, byte[] message, byte[] signature) throws KekException {
            return real.verify(signer, message, signature);
        }
    }

    /** A store whose every KEK reference resolves to the spy. */
    private static DynamicShareKeyStore store(DevStores keys, SpyKek spy, int cacheEntries) throws Exception {
        StoreContext ctx = new StoreContext(StoreConfig.load(keys.configFile), reference -> spy,
                new DataKeyCache(cacheEntries, 60_000), new JulAuditSink());
        return new DynamicShareProvider(ctx).newKeyStore();
    }

    private static boolean zero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void withCachingOffEveryDataKeyIsZeroedAfterUse() throws Exception {
        DevStores keys = new DevStores(dir.resolve("kek"), WrapAlgorithm.AES_KW_256);
        SpyKek spy = new SpyKek(keys.kek);
        DynamicShareKeyStore ks = store(keys, spy, 0);
        ks.load(null, null);
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        byte[] file = DevStores.bytes(ks);

        DynamicShareKeyStore again = store(keys, spy, 0);
        again.load(new java.io.ByteArrayInputStream(file), null);
        for (int i = 0; i < 3; i++) {
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) again.getEntry(w.alias(), null);
            ((WalletShareKey) e.getSecretKey()).destroy();
        }
        assertEquals(2, spy.wrapInputs.size(), "entry data key and store key");
        assertEquals(4, spy.unwrapOutputs.size(), "store key at load, then one unwrap per read");
        assertEquals(32, spy.wrapInputs.get(0).length, "the data key");
        assertEquals(64, spy.wrapInputs.get(1).length, "the store key and its purpose tag");
        for (byte[] k : spy.wrapInputs) {
            assertTrue(zero(k), "a data key copy handed to wrap was not zeroed");
        }
        for (byte[] k : spy.unwrapOutputs.subList(1, 4)) {
            assertTrue(zero(k), "an unwrapped data key was not zeroed after its read");
        }
        again.load(null, null); // replacing the content drops the loaded store's MAC key too
        assertTrue(zero(spy.unwrapOutputs.get(0)), "the store MAC key was not zeroed when the store was replaced");
    }

    @Test
    void cachedDataKeysAreZeroedWhenTheirEntryGoes() throws Exception {
        DevStores keys = new DevStores(dir.resolve("kek"), WrapAlgorithm.AES_KW_256);
        SpyKek spy = new SpyKek(keys.kek);
        DynamicShareKeyStore ks = store(keys, spy, 100);
        ks.load(null, null);
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        byte[] file = DevStores.bytes(ks);
        DynamicShareKeyStore again = store(keys, spy, 100);
        again.load(new java.io.ByteArrayInputStream(file), null);
        again.getEntry(w.alias(), null);
        again.getEntry(w.alias(), null);
        byte[] cached = spy.unwrapOutputs.get(spy.unwrapOutputs.size() - 1);
        assertFalse(zero(cached), "in use while cached");
        again.deleteEntry(w.alias());
        assertTrue(zero(cached), "a deleted entry's cached data key was not zeroed");
    }
}
