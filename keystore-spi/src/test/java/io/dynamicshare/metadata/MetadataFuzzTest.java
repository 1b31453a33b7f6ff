package io.dynamicshare.metadata;

import static io.dynamicshare.metadata.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.dynamicshare.entry.WalletAttributes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Any byte input gives a parsed document or a {@link MetadataException}: never an unchecked exception or an
 * error, which a caller (the store answering getAttributes, the CLI) could not report as a bad document.
 * Everything that accepts a parsed document (attributes, validation, the with... splices) holds the same.
 */
class MetadataFuzzTest {
  private static final String[] DOCUMENTS = {
    EVM_METADATA, SNAKE_METADATA, EVM23_METADATA, BTC_METADATA, IDENTITY_ONLY, SVM_METADATA
  };
  /** Pieces that steer mutations to the parser's and the scanners' edges. */
  private static final String[] PIECES = {
    "{", "}", "[", "]", "\"", "\\", ":", ",", "\\u", "\\ud800", "\\udc00\\ud800", "\\u0000", "null", "true", "-",
    "1e999999999", "0.000000000000000000000000000000000000001", "12345678901234567890123456789012345678901234567890",
    "\"secretShare\":\"00\"", "\"externalServerKeyShares\":[{\"secretShare\":\"00\"}]", "\"walletId\":",
    "\"externalServerKeySharesBackupInfo\":", "\"wallet_id\":", "\"a\":{\"b\":[", "/*", "//", "'", "NaN", "\t",
    "\r\n", "\u0001", "\u007f", "\u2028", "\uFEFF", "\u00e9", "\uD83D\uDE00",
  };
  private static final byte[][] RAW_PIECES = {
    {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xe2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xff}, {(byte) 0xfe, (byte) 0xff}, {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
    {0}, {0, 0, 0},
  };

  private static ServerKeyShares shares;

  @org.junit.jupiter.api.BeforeAll
  static void inspectSharesOnce() throws MetadataException {
    shares = ServerKeyShares.inspect(bytes(EVM_SHARES));
  }

  @Test
  void randomBytesOnlyEverGiveMetadataException() throws Exception {
    Random random = new Random(20261130L);
    for (int i = 0; i < 20_000; i++) {
      byte[] input = new byte[random.nextInt(64)];
      random.nextBytes(input);
      if (random.nextBoolean() && input.length > 0) {
        input[0] = '{';
      }
      check(input);
    }
  }

  @Test
  void mutatedFixtureMetadataOnlyEverGivesMetadataException() throws Exception {
    Random random = new Random(1130L);
    int parsed = 0;
    int refused = 0;
    for (String path : DOCUMENTS) {
      byte[] original = bytes(path);
      for (int i = 0; i < 4_000; i++) {
        byte[] input = original;
        int edits = 1 + random.nextInt(4);
        for (int k = 0; k < edits; k++) {
          input = mutate(input, random);
        }
        if (check(input)) {
          parsed++;
        } else {
          refused++;
        }
      }
    }
    assertTrue(parsed > 2_000 && refused > 2_000, "mutations reach both outcomes: " + parsed + " / " + refused);
  }

  @Test
  void deepNestingIsAMetadataException() throws Exception {
    for (int depth : new int[] {999, 1000, 1001, 5_000, 200_000}) {
      String open = "[".repeat(depth);
      check(utf8("{\"x\":" + open + "]".repeat(depth) + "}"));
      check(utf8("{\"x\":" + open));
      check(utf8("{\"x\":" + "{\"secretShare\":".repeat(depth) + "1" + "}".repeat(depth) + "}"));
      check(utf8("{\"externalServerKeySharesBackupInfo\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}"));
    }
  }

  /** Parse; on success every consumer of a parsed document must also answer or throw MetadataException. */
  private static boolean check(byte[] input) {
    WalletMetadata m;
    try {
      m = WalletMetadata.parse(input);
    } catch (MetadataException e) {
      assertNotNull(e.field());
      assertNotNull(e.getMessage());
      assertNull(e.getCause(), "a parser exception could quote its input");
      return false;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("WalletMetadata.parse threw " + e + " on " + show(input), e);
    }
    try {
      assertArrayEquals(input, m.toJson());
      assertEquals(new String(input, StandardCharsets.UTF_8), m.toJsonString());
      assertArrayEquals(input, utf8(m.toJsonString()), "lossless UTF-8");
      WalletAttributes.of(m, false, null).forEach(a -> assertNotNull(a.getValue()));
      WalletAttributes.of(m, true, "k1,k2");
      m.toString();
      m.hashCode();
      m.wellKnownFields();
      m.shareMaterialField();
      expectOnlyMetadataException(() -> WalletValidator.validate(m, shares, true));
      expectOnlyMetadataException(() -> WalletValidator.validate(m, shares, false));
      expectOnlyMetadataException(() -> m.withBackupInfo(utf8("{\"passwordEncrypted\":false}")));
      expectOnlyMetadataException(() -> m.withThresholdSignatureScheme("TWO_OF_THREE"));
    } catch (RuntimeException | Error e) {
      throw new AssertionError("a parsed document made something throw " + e + ": " + show(input), e);
    }
    return true;
  }

  private interface MetadataCall {
    void run() throws MetadataException;
  }

  private static void expectOnlyMetadataException(MetadataCall call) {
    try {
      call.run();
    } catch (MetadataException e) {
      assertNotNull(e.getMessage());
    }
  }

  private static byte[] mutate(byte[] in, Random random) {
    int at = in.length == 0 ? 0 : random.nextInt(in.length + 1);
    switch (random.nextInt(7)) {
      case 0: { // flip a bit
        if (in.length == 0) {
          return in;
        }
        byte[] out = in.clone();
        int i = Math.min(at, in.length - 1);
        out[i] ^= (byte) (1 << random.nextInt(8));
        return out;
      }
      case 1: { // delete a run
        int len = Math.min(in.length - at, random.nextInt(16));
        return concat(Arrays.copyOfRange(in, 0, at), Arrays.copyOfRange(in, at + len, in.length));
      }
      case 2: // insert a structural piece
        return insert(in, at, utf8(PIECES[random.nextInt(PIECES.length)]));
      case 3: // insert raw bytes that are not UTF-8 (or are UTF-16 hints)
        return insert(in, at, RAW_PIECES[random.nextInt(RAW_PIECES.length)]);
      case 4: { // duplicate a run elsewhere
        int from = random.nextInt(in.length + 1);
        int len = Math.min(in.length - from, random.nextInt(64));
        return insert(in, at, Arrays.copyOfRange(in, from, from + len));
      }
      case 5: // truncate
        return Arrays.copyOf(in, at);
      default: { // replace a byte with a random one
        if (in.length == 0) {
          return new byte[] {(byte) random.nextInt()};
        }
        byte[] out = in.clone();
        out[Math.min(at, in.length - 1)] = (byte) random.nextInt();
        return out;
      }
    }
  }

  private static byte[] insert(byte[] in, int at, byte[] piece) {
    return concat(concat(Arrays.copyOfRange(in, 0, at), piece), Arrays.copyOfRange(in, at, in.length));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String show(byte[] input) {
    StringBuilder b = new StringBuilder();
    for (byte x : input) {
      int c = x & 0xff;
      b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
      if (b.length() > 400) {
        return b.append("...").toString();
      }
    }
    return b.toString();
  }
}
