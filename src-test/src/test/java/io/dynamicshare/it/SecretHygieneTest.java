package io.dynamicshare.it;

import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.entry.WalletUpdates;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.store.FileStoreParameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKey;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No share bytes reach a log line, an exception message, a toString or the store file; decrypted
 * buffers are zeroed when the store is done with them.
 */
class SecretHygieneTest {
    @TempDir
    Path dir;
    final List<String> logLines = new CopyOnWriteArrayList<>();
    final List<String> texts = new ArrayList<>();
    final Logger root = Logger.getLogger("");
    final Handler capture = new Handler() {
        final SimpleFormatter f = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            logLines.add(f.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    Level rootLevel;

    @BeforeEach
    void captureAllLogging() {
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void restore() {
        root.removeHandler(capture);
        root.setLevel(rootLevel);
    }

    /** Every secretShare value of the fixtures, as the fragments a leak would show: its first 24 hex digits. */
    static List<String> secretFragments() {
        List<String> out = new ArrayList<>();
        Pattern p = Pattern.compile("\"secretShare\":\\s*\"([0-9a-f]{24})");
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            Matcher m = p.matcher(new String(w.shares(), StandardCharsets.UTF_8));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private void collect(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            texts.add(String.valueOf(c.getMessage()));
            texts.add(c.toString());
        }
    }

    @Test
    void noShareBytesInLogsMessagesToStringOrTheFile() throws Exception {
        List<String> secrets = secretFragments();
        assertTrue(secrets.size() >= 5, "fixtures hold secret shares to look for");
        DevStores dev = new DevStores(dir, WrapAlgorithm.RSA_OAEP_256);
        KeyStore ks = dev.newStore();
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            KeyStore.SecretKeyEntry entry = WalletEntry.of(w.shares(), w.metadata());
            texts.add(entry.toString());
            texts.add(entry.getSecretKey().toString());
            ks.setEntry(w.alias(), entry, null);
        }
        Path file = dir.resolve("w.dsks");
        ks.store(FileStoreParameter.of(file));
        byte[] stored = Files.readAllBytes(file);
        KeyStore again = dev.open(stored);
        for (Fixtures.Wallet w : Fixtures.WALLETS) {
            KeyStore.Entry e = again.getEntry(w.alias(), null);
            texts.add(e.toString());
            texts.add(((KeyStore.SecretKeyEntry) e).getSecretKey().toString());
            texts.add(e.getAttributes().toString());
        }
        // Failures whose inputs hold secrets: every rejection message is collected.
        Fixtures.Wallet evm = Fixtures.WALLETS.get(0);
        String sharesText = new String(evm.shares(), StandardCharsets.UTF_8);
        List<byte[]> badShares = List.of(
                Fixtures.WALLETS.get(1).shares(),                                           // wrong count
                sharesText.replace("\"secretShare\"", "\"secretShareX\"").getBytes(),      // unknown field
                sharesText.substring(0, sharesText.length() / 2).getBytes(),               // truncated JSON
                sharesText.replace("\"secretShare\": \"", "\"secretShare\": ").getBytes(),  // broken string
                ("[" + sharesText).getBytes());
        for (byte[] bad : badShares) {
            collect(assertThrows(Exception.class, () -> ks.setEntry("bad", WalletEntry.of(bad, evm.metadata()), null)));
        }
        collect(assertThrows(Exception.class, () -> WalletUpdates.applyShareRefresh(ks, evm.alias(),
                ("{\"externalServerKeyShares\":" + sharesText + ",\"backupInfo\":7}").getBytes(), null)));
        ContainerImage image = ContainerImage.parse(stored);
        ContainerImage.flipInside(image.entries.get(0), ContainerImage.ciphertext(image.entries.get(0)));
        KeyStore forged = dev.open(image.forge(dev.kek));
        collect(assertThrows(Exception.class, () -> forged.getEntry(image.aliases.get(0), null)));
        collect(assertThrows(Exception.class, () -> dev.open(image.withOriginalTag())));
        texts.add(dev.provider.toString());
        texts.add(dev.provider.dataKeyCacheStats().toString());
        texts.add(dev.kek.toString());
        dev.events.forEach(e -> texts.add(e.toString()));

        assertFalse(logLines.isEmpty(), "logging was captured");
        String stores = new String(stored, StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
            for (String line : logLines) {
                assertFalse(line.contains(secret), () -> "log line leaks a share: " + line);
            }
            for (String text : texts) {
                assertFalse(text.contains(secret), () -> "text leaks a share: " + text);
            }
            assertFalse(stores.contains(secret), "the store file holds no plaintext share");
        }
    }

    @Test
    void destroyZeroesTheSharesAndSerializationIsRefused() throws Exception {
        WalletShareKey key = WalletShareKey.of(Fixtures.WALLETS.get(0).shares());
        assertThrows(NotSerializableException.class, () -> new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(key));
        byte[] inside = internal(key);
        key.destroy();
        assertTrue(key.isDestroyed());
        assertAllZero(inside);
        assertThrows(IllegalStateException.class, key::getEncoded);
    }

    @Test
    void setEntryZeroesItsCopyOfTheShares() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        KeyStore ks = dev.newStore();
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        List<byte[]> handedOut = new ArrayList<>();
        SecretKey spy = new SecretKey() {
            @Override
            public String getAlgorithm() {
                return "RAW";
            }

            @Override
            public String getFormat() {
                return "RAW";
            }

            @Override
            public byte[] getEncoded() {
                byte[] copy = w.shares();
                handedOut.add(copy);
                return copy;
            }
        };
        var metadata = new io.dynamicshare.entry.WalletAttribute(
                io.dynamicshare.entry.WalletAttributes.WALLET_METADATA, new String(w.metadata(), StandardCharsets.UTF_8));
        ks.setEntry(w.alias(), new KeyStore.SecretKeyEntry(spy, Set.of(metadata)), null);
        assertFalse(handedOut.isEmpty());
        handedOut.forEach(SecretHygieneTest::assertAllZero);
        // A rejected entry's copy is zeroed too.
        handedOut.clear();
        var wrongChain = new io.dynamicshare.entry.WalletAttribute(io.dynamicshare.entry.WalletAttributes.CHAIN_NAME, "SVM");
        assertThrows(Exception.class, () -> ks.setEntry("x", new KeyStore.SecretKeyEntry(spy, Set.of(metadata, wrongChain)), null));
        handedOut.forEach(SecretHygieneTest::assertAllZero);
    }

    static byte[] internal(WalletShareKey key) throws Exception {
        Field f = WalletShareKey.class.getDeclaredField("shares");
        f.setAccessible(true);
        return (byte[]) f.get(key);
    }

    static void assertAllZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                throw new AssertionError("buffer of " + b.length + " bytes was not zeroed");
            }
        }
    }
}
