package io.dynamicshare.metadata;

import static io.dynamicshare.metadata.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Secret shares must never reach a String: not in messages, not in toString, not decoded by the
 * parser. Every input here carries a unique marker where a secret would be.
 */
class SecretHygieneTest {
  static final String MARKER = "deadbeefcafe5ec7e75ba4e0f1c3d2b9a8e7f6051423a0b9c8d7e6f5a4b3c2d1e0";
  static final String DIGITS = "31415926535897932384626433832795028841971693993751058209749445923";
  private static final String KEY = "{\"0\":1,\"1\":2}";
  private static final String OK_SECRET = "\"secretShare\":\"" + MARKER + "\"";

  static Stream<String> shareVariants() {
    String valid = "[{\"pubkey\":" + KEY + "," + OK_SECRET + "}]";
    return Stream.of(
        valid,
        "[{\"pubkey\":{\"pubkey\":" + KEY + "}," + OK_SECRET + "}]",
        valid.substring(0, valid.indexOf(MARKER) + 20),                     // cut inside the secret
        valid.substring(0, valid.length() - 4),                             // cut after the secret
        valid.replace(MARKER, MARKER.substring(0, 30) + "\\q" + MARKER),     // bad escape inside
        valid.replace(MARKER, MARKER + "\u0001" + MARKER),                   // raw control char inside
        valid.replace(MARKER, MARKER + "\"" + MARKER + "\""),                // junk after the string
        valid.replace("\"" + MARKER + "\"", MARKER),                         // unquoted secret
        valid.replace("\"" + MARKER + "\"", DIGITS),                         // numeric secret
        valid.replace("\"" + MARKER + "\"", "{\"x\":\"" + MARKER + "\"}"),   // object secret
        valid.replace("\"" + MARKER + "\"", "[\"" + MARKER + "\"]"),         // array secret
        valid.replace("\"" + MARKER + "\"", "\"\"") + MARKER,                // empty secret, junk after
        valid.replace(KEY, "\"" + MARKER + "\""),                            // secret as pubkey
        valid.replace(KEY, "{\"" + MARKER + "\":1}"),                        // secret as pubkey key
        valid.replace(KEY, "{\"0\":" + MARKER + "}"),                        // secret as bare pubkey byte
        valid.replace(KEY, "{\"0\":" + DIGITS + "}"),                        // huge number as pubkey byte
        valid.replace(KEY, "{\"0\":1.5e" + DIGITS + "}"),                    // huge exponent
        valid.replace(KEY, "{\"pubkey\":" + KEY + ",\"" + MARKER + "\":\"" + MARKER + "\"}"),
        valid.replace(KEY, "{\"pubkey\":\"" + MARKER + "\"}"),
        "[{\"pubkey\":" + KEY + "," + OK_SECRET + "," + OK_SECRET + "}]",    // repeated secret
        "[{" + OK_SECRET + "}]",                                             // missing pubkey
        "[{\"" + MARKER + "\":\"" + MARKER + "\",\"pubkey\":" + KEY + "," + OK_SECRET + "}]",
        "[\"" + MARKER + "\"]",
        "[" + MARKER + "]",
        "\"" + MARKER + "\"",
        MARKER,
        "{\"secretShare\":\"" + MARKER + "\"}",
        valid + " " + MARKER,
        valid + " \"" + MARKER + "\"",
        valid.replace(MARKER, "\\u00" + MARKER));                            // broken unicode escape
  }

  static Stream<String> sdkResultVariants() {
    Stream<String> wrapped = shareVariants().flatMap(v -> Stream.of(
        "{\"externalServerKeyShares\":" + v + ",\"backupInfo\":{}}",
        "{\"backupInfo\":{},\"externalKeySharesWithBackupStatus\":[{\"share\":" + v + "}]}"));
    return Stream.concat(wrapped, Stream.of(
        "{\"walletMetadata\":" + MARKER + "}",
        "{\"walletMetadata\":\"" + MARKER + "\"}",
        "{\"" + MARKER + "\":\"" + MARKER + "\"}",
        "{\"backupInfo\":\"" + MARKER + "\"}",
        "{\"externalServerKeyShares\":\"" + MARKER + "\"}"));
  }

  /** Fails if any 8-character piece of either marker occurs in {@code text}. */
  static void assertNoMarker(String text) {
    for (String marker : new String[] {MARKER, DIGITS}) {
      for (int i = 0; i + 8 <= marker.length(); i++) {
        String piece = marker.substring(i, i + 8);
        assertFalse(text.contains(piece), () -> "leaked '" + piece + "' in: " + text);
      }
    }
  }

  /** Everything an exception can show: message, field, toString, stack trace with causes. */
  static void assertNoMarker(MetadataException e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertNull(e.getCause(), "parser exceptions must not be chained: their messages quote input");
    assertNoMarker(e.getMessage() + "\n" + e.field() + "\n" + e + "\n" + trace);
  }

  @ParameterizedTest
  @MethodSource("shareVariants")
  void sharesNeverLeakTheSecret(String json) {
    Spy spy = new Spy();
    try {
      ServerKeyShares shares = ServerKeyShares.inspect(utf8(json), spy);
      assertNoMarker(shares.toString());
      MetadataException e = assertThrows(MetadataException.class,
          () -> WalletValidator.validate(metadata(EVM23_METADATA), shares, false));
      assertNoMarker(e);
    } catch (MetadataException e) {
      assertNoMarker(e);
    }
    spy.assertNoStringDecoded();
  }

  @ParameterizedTest
  @MethodSource("sdkResultVariants")
  void sdkResultsNeverLeakTheSecret(String json) {
    Spy spy = new Spy();
    try {
      SdkResult r = SdkResult.parse(utf8(json), spy);
      assertNoMarker(r.toString());
    } catch (MetadataException e) {
      assertNoMarker(e);
    }
    spy.assertNoStringDecoded();
  }

  @Test
  void realFixturesAreNeverDecoded() throws Exception {
    for (String path : new String[] {EVM_SHARES, EVM23_SHARES, BTC_SHARES, SVM_SHARES}) {
      Spy spy = new Spy();
      ServerKeyShares.inspect(bytes(path), spy);
      spy.assertNoStringDecoded();
    }
    for (String path : new String[] {EVM_CREATE, SVM_CREATE, EVM_REFRESH}) {
      Spy spy = new Spy();
      SdkResult r = SdkResult.parse(bytes(path), spy);
      assertNotNull(r.externalServerKeyShares());
      spy.assertNoStringDecoded();
      String secret = tree(bytes(path)).at("/externalServerKeyShares/0/secretShare").asText();
      assertFalse(r.toString().contains(secret.substring(0, 16)));
    }
  }

  @Test
  void validationMessagesAboutRealSharesHoldNoSecret() throws Exception {
    String secret = tree(bytes(EVM23_SHARES)).at("/1/secretShare").asText();
    MetadataException e = assertThrows(MetadataException.class,
        () -> WalletValidator.validate(metadata(EVM_METADATA), ServerKeyShares.inspect(bytes(EVM23_SHARES)), false));
    for (int i = 0; i + 8 <= 4096; i += 7) {
      assertFalse(e.getMessage().contains(secret.substring(i, i + 8)));
    }
  }

  @Test
  void theSpyNoticesDecodedStrings() throws Exception {
    Spy spy = new Spy();
    try (JsonParser p = spy.open(utf8("[\"" + MARKER + "\"]"))) {
      p.nextToken();
      p.nextToken();
      p.getText();
    }
    assertEquals(1, spy.violations.size());
    assertThrows(AssertionError.class, spy::assertNoStringDecoded);
  }

  /** Opens real parsers wrapped so that any decoding of a string value is recorded. */
  static final class Spy implements Json.ParserSource {
    private static final JsonFactory FACTORY = new JsonFactory();
    final List<String> violations = new ArrayList<>();
    int tokens;

    @Override
    public JsonParser open(byte[] json) throws IOException {
      JsonParser real = FACTORY.createParser(json);
      assertEquals("UTF8StreamJsonParser", real.getClass().getSimpleName());
      return new JsonParserDelegate(real) {
        private void check(String method) {
          if (currentToken() == JsonToken.VALUE_STRING) {
            violations.add(method);
          }
        }

        @Override public JsonToken nextToken() throws IOException { tokens++; return super.nextToken(); }
        @Override public String getText() throws IOException { check("getText"); return super.getText(); }
        @Override public int getText(Writer w) throws IOException { check("getText(Writer)"); return super.getText(w); }
        @Override public char[] getTextCharacters() throws IOException { check("getTextCharacters"); return super.getTextCharacters(); }
        @Override public int getTextLength() throws IOException { check("getTextLength"); return super.getTextLength(); }
        @Override public int getTextOffset() throws IOException { check("getTextOffset"); return super.getTextOffset(); }
        @Override public String getValueAsString() throws IOException { check("getValueAsString"); return super.getValueAsString(); }
        @Override public String getValueAsString(String d) throws IOException { check("getValueAsString(d)"); return super.getValueAsString(d); }
        @Override public int getValueAsInt() throws IOException { check("getValueAsInt"); return super.getValueAsInt(); }
        @Override public long getValueAsLong() throws IOException { check("getValueAsLong"); return super.getValueAsLong(); }
        @Override public byte[] getBinaryValue(Base64Variant v) throws IOException { check("getBinaryValue"); return super.getBinaryValue(v); }
        @Override public Object getEmbeddedObject() throws IOException { check("getEmbeddedObject"); return super.getEmbeddedObject(); }
        @Override public String nextTextValue() throws IOException { violations.add("nextTextValue"); return super.nextTextValue(); }
      };
    }

    void assertNoStringDecoded() {
      assertTrue(tokens > 0, "the spy parser was used");
      assertEquals(List.of(), violations, "string values were decoded");
    }
  }
}
