package io.dynamicshare.metadata;

import static io.dynamicshare.metadata.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerKeySharesTest {
  private static final String SECRET = "\"secretShare\":\"00ff\"";
  private static final String KEY = "{\"0\":1,\"1\":2}";

  private static String share(String pubkey) {
    return "{\"pubkey\":" + pubkey + "," + SECRET + "}";
  }

  /** The i-th share object of a fixture array, as compact JSON. */
  static String fixtureShare(String path, int i) {
    return tree(bytes(path)).get(i).toString();
  }

  @ParameterizedTest
  @CsvSource({
    EVM_SHARES + ",1,64",
    EVM23_SHARES + ",2,64",
    BTC_SHARES + ",1,33",
    SVM_SHARES + ",1,32",
  })
  void everyFixtureHasTheExpectedShareCountAndKeyLength(String path, int count, int keyLength) throws Exception {
    ServerKeyShares shares = ServerKeyShares.inspect(bytes(path));
    assertEquals(count, shares.count());
    for (int i = 0; i < count; i++) {
      assertEquals(keyLength, shares.publicKey(i).length);
    }
    assertTrue(shares.allSamePublicKey());
  }

  @Test
  void evmKeyIsTheNestedEcdsaKeyOfTheCreateResult() throws Exception {
    JsonNode create = tree(bytes(EVM_CREATE));
    String uncompressed = create.get("publicKeyHex").asText(); // "04" || X || Y
    byte[] key = ServerKeyShares.inspect(bytes(EVM_SHARES)).publicKey(0);
    assertEquals(uncompressed.substring(2), HexFormat.of().formatHex(key));
    assertEquals(133, key[0] & 0xff);
    assertEquals(20, key[63] & 0xff);
  }

  @Test
  void svmKeyIsTheFlatUint8ArrayOfTheCreateResult() throws Exception {
    String raw = tree(bytes(SVM_CREATE)).get("rawPublicKey").asText();
    assertEquals(raw, HexFormat.of().formatHex(ServerKeyShares.inspect(bytes(SVM_SHARES)).publicKey(0)));
  }

  @Test
  void twoOfThreeSharesAreDistinctButCarryOneKey() throws Exception {
    ServerKeyShares shares = ServerKeyShares.inspect(bytes(EVM23_SHARES));
    assertArrayEquals(shares.publicKey(0), shares.publicKey(1));
    assertNotEquals(fixtureShare(EVM23_SHARES, 0), fixtureShare(EVM23_SHARES, 1));
  }

  @Test
  void threeSharesForThreeOfFive() throws Exception {
    String s0 = fixtureShare(EVM23_SHARES, 0);
    String s1 = fixtureShare(EVM23_SHARES, 1);
    ServerKeyShares shares = ServerKeyShares.inspect(utf8("[" + s0 + "," + s1 + "," + s0 + "]"));
    assertEquals(3, shares.count());
    assertTrue(shares.allSamePublicKey());
  }

  @Test
  void differentKeysAreReportedNotRejected() throws Exception {
    String json = "[" + fixtureShare(EVM23_SHARES, 0) + "," + fixtureShare(EVM_SHARES, 0) + "]";
    ServerKeyShares shares = ServerKeyShares.inspect(utf8(json));
    assertFalse(shares.allSamePublicKey());
    assertEquals(1, shares.firstMismatch());
  }

  @Test
  void publicKeyReturnsCopiesAndChecksTheIndex() throws Exception {
    ServerKeyShares shares = ServerKeyShares.inspect(bytes(SVM_SHARES));
    byte[] k = shares.publicKey(0);
    k[0] ^= 1;
    assertNotEquals(k[0], shares.publicKey(0)[0]);
    assertThrows(IndexOutOfBoundsException.class, () -> shares.publicKey(1));
    assertThrows(IndexOutOfBoundsException.class, () -> shares.publicKey(-1));
    assertEquals("ServerKeyShares{count=1, publicKeyBytes=32, allSamePublicKey=true}", shares.toString());
  }

  @Test
  void keysInAnyOrderAndUnknownShareFieldsAreAccepted() throws Exception {
    ServerKeyShares shares = ServerKeyShares.inspect(utf8(
        "[{\"extra\":{\"a\":[\"b\"]},\"secretShare\":\"ab\",\"note\":\"x\",\"pubkey\":{\"1\":2,\"0\":1}}]"));
    assertArrayEquals(new byte[] {1, 2}, shares.publicKey(0));
    ServerKeyShares nested = ServerKeyShares.inspect(utf8("[" + share("{\"pubkey\":" + KEY + "}") + "]"));
    assertArrayEquals(new byte[] {1, 2}, nested.publicKey(0));
  }

  @Test
  void shapeErrors() {
    assertEquals("externalServerKeyShares must be a JSON array of share objects",
        assertRejected("externalServerKeyShares", () -> ServerKeyShares.inspect(utf8("{}"))).getMessage());
    assertRejected("externalServerKeyShares", () -> ServerKeyShares.inspect(utf8("\"x\"")));
    assertRejected("externalServerKeyShares", () -> ServerKeyShares.inspect(utf8("")));
    assertEquals("externalServerKeyShares is missing",
        assertRejected("externalServerKeyShares", () -> ServerKeyShares.inspect(null)).getMessage());
    assertEquals("externalServerKeyShares is an empty array; a wallet has at least one server key share",
        assertRejected("externalServerKeyShares", () -> ServerKeyShares.inspect(utf8(" [ ] "))).getMessage());
    for (String element : new String[] {"1", "\"x\"", "[]", "null", "true"}) {
      String json = "[" + share(KEY) + "," + element + "]";
      assertEquals("externalServerKeyShares[1] must be a JSON object with pubkey and secretShare",
          assertRejected("externalServerKeyShares[1]", () -> ServerKeyShares.inspect(utf8(json))).getMessage());
    }
    assertRejected("externalServerKeyShares", () -> ServerKeyShares.inspect(utf8("[" + share(KEY) + "] []")));
  }

  @Test
  void missingAndRepeatedFields() {
    assertEquals("externalServerKeyShares[0].pubkey is missing",
        assertRejected("externalServerKeyShares[0].pubkey",
            () -> ServerKeyShares.inspect(utf8("[{" + SECRET + "}]"))).getMessage());
    assertEquals("externalServerKeyShares[1].secretShare is missing",
        assertRejected("externalServerKeyShares[1].secretShare",
            () -> ServerKeyShares.inspect(utf8("[" + share(KEY) + ",{\"pubkey\":" + KEY + "}]"))).getMessage());
    assertEquals("externalServerKeyShares[0].pubkey appears more than once",
        assertRejected("externalServerKeyShares[0].pubkey",
            () -> ServerKeyShares.inspect(utf8("[{\"pubkey\":" + KEY + ",\"pubkey\":" + KEY + "," + SECRET + "}]"))).getMessage());
    assertRejected("externalServerKeyShares[0].secretShare",
        () -> ServerKeyShares.inspect(utf8("[{\"pubkey\":" + KEY + "," + SECRET + "," + SECRET + "}]")));
  }

  @Test
  void secretShareMustBeANonEmptyString() {
    for (String bad : new String[] {"12", "null", "{\"a\":\"b\"}", "[\"ab\"]", "true"}) {
      String json = "[{\"pubkey\":" + KEY + ",\"secretShare\":" + bad + "}]";
      assertEquals("externalServerKeyShares[0].secretShare must be a JSON string (hex)",
          assertRejected("externalServerKeyShares[0].secretShare", () -> ServerKeyShares.inspect(utf8(json))).getMessage());
    }
    assertEquals("externalServerKeyShares[0].secretShare is an empty string",
        assertRejected("externalServerKeyShares[0].secretShare",
            () -> ServerKeyShares.inspect(utf8("[{\"pubkey\":" + KEY + ",\"secretShare\":\"\"}]"))).getMessage());
  }

  @Test
  void pubkeyMustBeAnObjectOfBytes() {
    String illTyped = "externalServerKeyShares[0].pubkey must be an object of bytes keyed \"0\"..\"n-1\","
        + " or {\"pubkey\": {...}} for ECDSA";
    for (String bad : new String[] {"\"0102\"", "[1,2]", "7", "null"}) {
      assertEquals(illTyped, assertRejected("externalServerKeyShares[0].pubkey",
          () -> ServerKeyShares.inspect(utf8("[" + share(bad) + "]"))).getMessage());
    }
    assertEquals("externalServerKeyShares[0].pubkey is empty; expected bytes keyed \"0\"..\"n-1\"",
        assertRejected("externalServerKeyShares[0].pubkey", () -> ServerKeyShares.inspect(utf8("[" + share("{}") + "]"))).getMessage());
    for (String value : new String[] {"256", "-1", "1.5", "\"1\"", "null", "99999999999999999999", "[1]"}) {
      String json = "[" + share("{\"0\":1,\"1\":" + value + "}") + "]";
      assertEquals("externalServerKeyShares[0].pubkey value at index 1 is not a byte (an integer 0..255)",
          assertRejected("externalServerKeyShares[0].pubkey", () -> ServerKeyShares.inspect(utf8(json))).getMessage(), value);
    }
    for (String key : new String[] {"01", "x", "-1", "", "1.0", "9999999"}) {
      String json = "[" + share("{\"0\":1,\"" + key + "\":2}") + "]";
      assertEquals("externalServerKeyShares[0].pubkey has a key that is not a byte index; expected bytes keyed \"0\"..\"n-1\"",
          assertRejected("externalServerKeyShares[0].pubkey", () -> ServerKeyShares.inspect(utf8(json))).getMessage(), key);
    }
    assertEquals("externalServerKeyShares[0].pubkey keys must be \"0\"..\"1\", each once; index 2 is out of range or repeated",
        assertRejected("externalServerKeyShares[0].pubkey",
            () -> ServerKeyShares.inspect(utf8("[" + share("{\"0\":1,\"2\":3}") + "]"))).getMessage());
    assertRejected("externalServerKeyShares[0].pubkey",
        () -> ServerKeyShares.inspect(utf8("[" + share("{\"0\":1,\"0\":3}") + "]")));
  }

  @Test
  void nestedPubkeyErrorsNameTheNestedPath() {
    assertRejected("externalServerKeyShares[0].pubkey.pubkey",
        () -> ServerKeyShares.inspect(utf8("[" + share("{\"pubkey\":\"ab\"}") + "]")));
    assertRejected("externalServerKeyShares[0].pubkey.pubkey",
        () -> ServerKeyShares.inspect(utf8("[" + share("{\"pubkey\":{\"0\":300}}") + "]")));
    assertEquals("externalServerKeyShares[0].pubkey must hold only the nested \"pubkey\" object",
        assertRejected("externalServerKeyShares[0].pubkey",
            () -> ServerKeyShares.inspect(utf8("[" + share("{\"pubkey\":" + KEY + ",\"curve\":\"k1\"}") + "]"))).getMessage());
  }

  @Test
  void syntaxErrorsNameTheShareAndAnOffset() {
    String json = "[" + share(KEY) + ",{\"pubkey\":{\"0\":1,}," + SECRET + "}]";
    MetadataException e = assertRejected("externalServerKeyShares[1]", () -> ServerKeyShares.inspect(utf8(json)));
    assertTrue(e.getMessage().matches("externalServerKeyShares\\[1\\] is not valid JSON \\(error near byte offset \\d+\\)"),
        e.getMessage());
    assertNull(e.getCause(), "parser exceptions are never chained");
    assertRejected("externalServerKeyShares[0]", () -> ServerKeyShares.inspect(utf8("[{\"pubkey\":" + KEY)));
  }

  @Test
  void largeSharesHaveNoSizeCap() throws Exception {
    String big = "ab".repeat(300 * 1024); // 600 KiB of hex per share
    String share = "{\"pubkey\":" + KEY + ",\"secretShare\":\"" + big + "\"}";
    ServerKeyShares shares = ServerKeyShares.inspect(utf8("[" + share + "," + share + "," + share + "]"));
    assertEquals(3, shares.count());
    assertTrue(shares.allSamePublicKey());
  }
}
