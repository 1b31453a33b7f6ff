package io.dynamicshare.metadata;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 for metadata text: a document is refused, never repaired. The JDK's {@code new String(bytes,
 * UTF_8)} turns malformed input into U+FFFD and {@code String.getBytes(UTF_8)} turns an unpaired surrogate into
 * {@code '?'}; either would silently store a different document than the one given.
 *
 * <pre>{@code
 * String json = Utf8.decode(metadataBytes, "walletMetadata"); // MetadataException naming the problem and offset
 * byte[] back = Utf8.encode(json, "walletMetadata");          // MetadataException for an unpaired surrogate
 * }</pre>
 *
 * <p>Accepted: exactly the shortest-form encodings of U+0000..U+10FFFF other than the surrogates U+D800..U+DFFF
 * (RFC 3629). Refused, each with its own message and the byte offset where the bad sequence starts: bytes that
 * cannot start a character (0x80..0xBF alone, 0xC0, 0xC1, 0xF5..0xFF), overlong encodings, encoded surrogates
 * (CESU-8 / "modified UTF-8"), code points above U+10FFFF and truncated sequences. Messages show at most one
 * byte value and an offset; metadata is not secret, but they never quote the text.
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * Decodes {@code bytes} as strict UTF-8.
   *
   * @param field the name used in the message and as {@link MetadataException#field()}, e.g. {@code "walletMetadata"}
   * @throws MetadataException if the bytes are not valid UTF-8
   */
  public static String decode(byte[] bytes, String field) throws MetadataException {
    check(bytes, field);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * Encodes {@code text} as UTF-8, refusing an unpaired surrogate rather than writing {@code '?'} for it.
   *
   * @throws MetadataException naming the char index of the first unpaired surrogate
   */
  public static byte[] encode(String text, String field) throws MetadataException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          throw new MetadataException(field, field + " is not valid Unicode text: unpaired surrogate U+"
              + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at char index " + i
              + " (it has no UTF-8 encoding)");
        }
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Throws unless {@code b} is valid UTF-8; plain ASCII, as metadata nearly always is, costs one pass of ORs. */
  static void check(byte[] b, String field) throws MetadataException {
    int high = 0;
    for (byte x : b) {
      high |= x;
    }
    if (high >= 0) {
      return;
    }
    int i = 0;
    while (i < b.length) {
      int b0 = b[i] & 0xff;
      if (b0 < 0x80) {
        i++;
        continue;
      }
      int n;
      int min;
      if (b0 >= 0xc2 && b0 <= 0xdf) {
        n = 1;
        min = 0x80;
      } else if (b0 >= 0xe0 && b0 <= 0xef) {
        n = 2;
        min = 0x800;
      } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        n = 3;
        min = 0x10000;
      } else if (b0 >= 0x80 && b0 <= 0xbf) {
        throw invalid(field, "unexpected continuation byte 0x" + hex(b0), i);
      } else if (b0 == 0xc0 || b0 == 0xc1) {
        throw invalid(field, "overlong encoding", i);
      } else {
        throw invalid(field, "byte 0x" + hex(b0) + " cannot start a UTF-8 character", i);
      }
      int cp = b0 & (0x3f >> n);
      for (int k = 1; k <= n; k++) {
        if (i + k >= b.length || (b[i + k] & 0xc0) != 0x80) {
          throw invalid(field, "truncated sequence", i);
        }
        cp = (cp << 6) | (b[i + k] & 0x3f);
      }
      if (cp < min) {
        throw invalid(field, "overlong encoding", i);
      }
      if (cp >= 0xd800 && cp <= 0xdfff) {
        throw invalid(field, "UTF-8-encoded surrogate", i);
      }
      if (cp > 0x10ffff) {
        throw invalid(field, "code point above U+10FFFF", i);
      }
      i += n + 1;
    }
  }

  private static MetadataException invalid(String field, String problem, int offset) {
    return new MetadataException(field, field + " is not valid UTF-8: " + problem + " at byte offset " + offset);
  }

  private static String hex(int b) {
    return (b < 0x10 ? "0" : "") + Integer.toHexString(b);
  }
}
