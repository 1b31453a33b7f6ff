package io.dynamicshare.storekey;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreKeyTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void hkdfMatchesRfc5869TestCase1() {
    byte[] ikm = new byte[22];
    Arrays.fill(ikm, (byte) 0x0b);
    byte[] okm = StoreKey.hkdf32(ikm, HEX.parseHex("000102030405060708090a0b0c"), HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"));
    assertArrayEquals(HEX.parseHex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"), okm);
  }

  @Test
  void theWrappedBlockOpensOnlyForItsStoreAndEpoch() throws Exception {
    byte[] storeId = new byte[16];
    StoreKey k = StoreKey.generate(storeId, 3);
    StoreKey back = StoreKey.fromBlock(k.toBlock(), storeId, 3);
    assertArrayEquals(k.commitment(), back.commitment());
    assertArrayEquals(k.entryTag("a", new byte[] {1}), back.entryTag("a", new byte[] {1}));
    assertFalse(Arrays.equals(k.entryTag("a", new byte[] {1}), k.entryTag("b", new byte[] {1})), "the alias is bound");

    byte[] otherStore = storeId.clone();
    otherStore[0] = 1;
    assertThrows(StoreKeyException.class, () -> StoreKey.fromBlock(k.toBlock(), otherStore, 3));
    assertThrows(StoreKeyException.class, () -> StoreKey.fromBlock(k.toBlock(), storeId, 4));
    assertThrows(StoreKeyException.class, () -> StoreKey.fromBlock(new byte[32], storeId, 3), "a data key's length");
  }

  @Test
  void blockIsZeroedAndDerivedKeysDifferByEpoch() throws Exception {
    byte[] storeId = new byte[16];
    StoreKey k = StoreKey.generate(storeId, 1);
    byte[] block = k.toBlock();
    StoreKey.fromBlock(block, storeId, 1);
    assertTrue(allZero(block), "the unwrapped block is zeroed once read");
    byte[] raw = new byte[32];
    assertFalse(Arrays.equals(StoreKey.derive(raw, storeId, "x".getBytes(), 1), StoreKey.derive(raw, storeId, "x".getBytes(), 2)));
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
