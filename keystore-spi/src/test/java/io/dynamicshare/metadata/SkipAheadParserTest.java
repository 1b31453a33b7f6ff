package io.dynamicshare.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time skip must change nothing but speed: same tokens, offsets and errors as Jackson. */
class SkipAheadParserTest {
  private static final JsonFactory STOCK = new JsonFactoryBuilder().build();
  private static final JsonFactory OURS = new SkipAheadJsonFactory(new JsonFactoryBuilder());

  @Test
  void stopsAtTheFirstByteThatNeedsALook() {
    byte[] special = {'"', '\\', 0x00, 0x1f, ' ', '!', (byte) 0x80, (byte) 0xc3, (byte) 0xff};
    for (byte s : special) {
      for (int len = 0; len <= 40; len++) {
        for (int pos = 0; pos < len; pos++) {
          byte[] b = new byte[len];
          Arrays.fill(b, (byte) 'a');
          b[pos] = s;
          int end = SkipAheadParser.plainRunEnd(b, 0, len);
          int lastWord = len - len % 8;
          assertEquals(pos < lastWord ? pos : lastWord, end, "byte " + s + " at " + pos + " of " + len);
        }
      }
    }
  }

  @Test
  void leapsOverPrintableAsciiFromHashIncludingDel() {
    byte[] b = new byte[64];
    int n = 0;
    for (int c = '#'; n < b.length; c = c == 0x7f ? '#' : c + 1) {
      if (c != '\\') {
        b[n++] = (byte) c;
      }
    }
    assertEquals(64, SkipAheadParser.plainRunEnd(b, 0, 64));
    assertEquals(61, SkipAheadParser.plainRunEnd(b, 5, 64), "a tail shorter than a word is left to Jackson");
  }

  @Test
  void skipsExactlyAsJacksonDoesOnRandomStrings() throws IOException {
    Random random = new Random(20261122);
    String[] pieces = {"a", "0f", "\\n", "\\\"", "\\\\", "\\u00e9", "é", "\u20ac", "\ud83d\ude00", "\\/", " "};
    for (int n = 0; n < 20_000; n++) {
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      int parts = random.nextInt(60);
      for (int p = 0; p < parts; p++) {
        String piece = random.nextInt(3) == 0 ? pieces[random.nextInt(pieces.length)] : "abcdef0123456789";
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        value.write(bytes, 0, bytes.length);
      }
      byte[] content = value.toByteArray();
      if (content.length > 0 && random.nextInt(4) == 0) {
        content[random.nextInt(content.length)] = pick(random); // sometimes make it invalid
      }
      byte[] doc = document(random.nextInt(9), content);
      assertEquals(tokens(STOCK, doc), tokens(OURS, doc), () -> new String(doc, StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void refusesANulAfterTheFirstBytesAsInvalidJson() throws IOException {
    byte[] doc = document(3, "abcdefgh\u0000ijklmnop".getBytes(StandardCharsets.UTF_8));
    List<String> ours = tokens(OURS, doc);
    assertEquals(tokens(STOCK, doc), ours);
    assertEquals("error at 19", ours.get(ours.size() - 1), ours.toString());
  }

  private static byte pick(Random random) {
    byte[] bad = {0x00, 0x01, 0x1f, (byte) 0x80, (byte) 0xbf, (byte) 0xc3, (byte) 0xf0, '"', '\\'};
    return bad[random.nextInt(bad.length)];
  }

  private static byte[] document(int pad, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head = ("{\"" + "p".repeat(pad) + "\":[1,\"").getBytes(StandardCharsets.UTF_8);
    out.write(head, 0, head.length);
    out.write(content, 0, content.length);
    byte[] tail = "\",{\"x\":\"y\"}],\"z\":null}".getBytes(StandardCharsets.UTF_8);
    out.write(tail, 0, tail.length);
    return out.toByteArray();
  }

  /** Every token with its byte offset, skipping string values undecoded; an error ends the list. */
  private static List<String> tokens(JsonFactory factory, byte[] doc) throws IOException {
    List<String> out = new ArrayList<>();
    try (JsonParser p = factory.createParser(doc)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        out.add(t + "@" + p.currentTokenLocation().getByteOffset());
      }
      out.add("end@" + p.currentLocation().getByteOffset());
    } catch (JsonProcessingException e) {
      out.add("error at " + e.getLocation().getByteOffset());
    }
    return out;
  }
}
