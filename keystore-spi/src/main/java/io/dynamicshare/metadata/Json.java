package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Streaming-JSON plumbing shared by the parsers of this package.
 *
 * <p>Everything here works on raw UTF-8 bytes so that callers can keep exact byte ranges and never
 * decode secret strings. Parser exceptions are translated, never propagated: Jackson's messages can
 * quote the input.
 */
final class Json {
  /** Opens a streaming parser; a seam so tests can watch which parser methods are called. */
  interface ParserSource {
    JsonParser open(byte[] json) throws IOException;
  }

  /**
   * Shared, thread-safe once built. Source is kept out of locations so that even a leaked Jackson
   * exception could not carry an input snippet. Duplicate keys are checked by our own code where
   * they matter, with better messages.
   */
  private static final JsonFactory FACTORY =
      new SkipAheadJsonFactory(
          new JsonFactoryBuilder()
              .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
              .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION));

  /** The production parser source: a byte-based parser ({@link SkipAheadParser}) over the array. */
  static final ParserSource PARSERS = json -> FACTORY.createParser(json);

  private Json() {}

  /**
   * Rejects input that is not plain UTF-8 JSON text: UTF-16/32 and a byte order mark (RFC 8259
   * forbids it, and it would break the {@code toJsonString()} round trip). JSON text starts with an
   * ASCII character, so UTF-16/32 shows as a NUL among the first four bytes (the detection of RFC 4627
   * section 3); a NUL further on is left to the parser, which refuses it as invalid JSON. Reads only
   * those four bytes, so it is safe on secret input and costs nothing on a 100 KB share.
   */
  static void requireUtf8(byte[] json, String field) throws MetadataException {
    if (json.length >= 3
        && (json[0] & 0xff) == 0xef
        && (json[1] & 0xff) == 0xbb
        && (json[2] & 0xff) == 0xbf) {
      throw new MetadataException(field, field + " starts with a byte order mark; expected UTF-8 JSON without one");
    }
    for (int i = 0; i < Math.min(4, json.length); i++) {
      if (json[i] == 0) {
        throw new MetadataException(
            field, field + " is not UTF-8 JSON (NUL byte at byte offset " + i + "; UTF-16 or UTF-32?)");
      }
    }
  }

  /** Translates a parser failure into a message that names the field and at most a byte offset. */
  static MetadataException malformed(String field, IOException e) {
    long offset = -1;
    if (e instanceof JsonProcessingException) {
      JsonLocation loc = ((JsonProcessingException) e).getLocation();
      offset = loc == null ? -1 : loc.getByteOffset();
    }
    return new MetadataException(
        field, field + " is not valid JSON" + (offset >= 0 ? " (error near byte offset " + offset + ")" : ""));
  }

  /** Byte offset where the current token starts (UTF8StreamJsonParser tracks bytes exactly). */
  static int tokenStart(JsonParser p) {
    return (int) p.currentTokenLocation().getByteOffset();
  }

  /**
   * Skips the current value and returns the offset just past it. Containers end where the parser
   * stands after {@code skipChildren()}; scalars are measured on the bytes, so strings are never
   * decoded here.
   */
  static int skipValue(JsonParser p, byte[] json, int start) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      p.skipChildren();
      return (int) p.currentLocation().getByteOffset();
    }
    return scalarEnd(json, start);
  }

  /** End offset of the scalar starting at {@code start}; the parser has already validated it. */
  static int scalarEnd(byte[] json, int start) {
    int i = start;
    if (json[i] == '"') {
      for (i = start + 1; i < json.length; i++) {
        if (json[i] == '\\') {
          i++; // the escaped byte cannot end the string
        } else if (json[i] == '"') {
          return i + 1;
        }
      }
      return json.length;
    }
    while (i < json.length && !isDelimiter(json[i])) {
      i++;
    }
    return i;
  }

  /** Requires that nothing but whitespace follows the root value. */
  static void requireEnd(JsonParser p, String field) throws IOException, MetadataException {
    if (p.nextToken() != null) {
      throw new MetadataException(
          field, field + " has content after the JSON value (at byte offset " + tokenStart(p) + ")");
    }
  }

  /**
   * Removes insignificant whitespace, byte for byte otherwise: numbers and string escapes stay
   * exactly as written, which a tree round trip would not guarantee. Input must be valid JSON.
   */
  static byte[] compact(byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        out.write(b);
        if (b == '\\') {
          out.write(json[++i]);
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
        out.write(b);
      } else if (!isWhitespace(b)) {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  }

  private static boolean isDelimiter(byte b) {
    return b == ',' || b == '}' || b == ']' || isWhitespace(b);
  }
}
