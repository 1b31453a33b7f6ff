package io.dynamicshare.kek;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/** The per-thread RSA wrap cipher: reused, per thread, correct, and holding no data key between calls. */
class KeyWrapCiphersTest {
  private static final KeyPair RSA = rsa();

  @Test
  void wrapsSoThatUnwrapReturnsTheKeyWithOneCipherPerThread() throws Exception {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 0x5a);
    byte[] first = KeyWrapCiphers.rsaOaepWrap(RSA.getPublic(), key);
    Cipher mine = KeyWrapCiphers.rsaOaepWrapCipherOfThisThread();
    byte[] second = KeyWrapCiphers.rsaOaepWrap(RSA.getPublic(), key);
    assertSame(mine, KeyWrapCiphers.rsaOaepWrapCipherOfThisThread(), "reused on this thread");
    assertTrue(!Arrays.equals(first, second), "OAEP is randomised");
    assertArrayEquals(key, KeyWrapCiphers.rsaOaepUnwrap(RSA.getPrivate(), first));
    assertArrayEquals(key, KeyWrapCiphers.rsaOaepUnwrap(RSA.getPrivate(), second));

    AtomicReference<Cipher> other = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        KeyWrapCiphers.rsaOaepWrap(RSA.getPublic(), key);
        other.set(KeyWrapCiphers.rsaOaepWrapCipherOfThisThread());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    t.start();
    t.join();
    assertNotNull(other.get());
    assertNotSame(mine, other.get(), "each thread has its own");
  }

  /** Reads SunJCE's private input buffer (surefire opens the packages); it must be all zeros after a wrap. */
  @Test
  void theKeptCipherHoldsNoDataKeyBetweenCalls() throws Exception {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 0x5a);
    KeyWrapCiphers.rsaOaepWrap(RSA.getPublic(), key);
    Object spi = field(Cipher.class, "spi").get(KeyWrapCiphers.rsaOaepWrapCipherOfThisThread());
    byte[] buffer = (byte[]) field(spi.getClass(), "buffer").get(spi);
    assertNotNull(buffer);
    assertArrayEquals(new byte[buffer.length], buffer, "the data key was zeroed inside the cipher");
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
