package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes a share's {@code pubkey}: a {@code Uint8Array} as {@code JSON.stringify} writes it (an
 * object keyed "0".."n-1" with byte values), or an ECDSA key nesting one such object under
 * {@code "pubkey"}. Keys may come in any order but must cover 0..n-1 exactly once.
 */
final class PublicKeyReader {
  private static final String NESTED = "pubkey";

  private PublicKeyReader() {}

  /** Reads the value the parser stands on (the token after the {@code pubkey} field name). */
  static byte[] read(JsonParser p, String path) throws IOException, MetadataException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw illTyped(path);
    }
    JsonToken t = p.nextToken();
    if (t == JsonToken.FIELD_NAME && NESTED.equals(p.currentName())) {
      String inner = path + "." + NESTED;
      p.nextToken();
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw illTyped(inner);
      }
      byte[] key = readBytes(p, p.nextToken(), inner);
      if (p.nextToken() != JsonToken.END_OBJECT) {
        throw new MetadataException(path, path + " must hold only the nested \"pubkey\" object");
      }
      return key;
    }
    return readBytes(p, t, path);
  }

  /** Reads "index": byte pairs from token {@code t} up to the closing brace. */
  private static byte[] readBytes(JsonParser p, JsonToken t, String path)
      throws IOException, MetadataException {
    int[] indices = new int[64];
    int[] values = new int[64];
    int n = 0;
    // nextFieldName/nextIntValue: Jackson's fast paths for exactly this shape ("index": byte, ...).
    for (String name = t == JsonToken.FIELD_NAME ? p.currentName() : null; name != null; name = p.nextFieldName()) {
      int index = parseIndex(name, path);
      int value = nextInt(p); // -1 for anything but an int, which is not a byte either
      if (value < 0 || value > 255) {
        throw new MetadataException(
            path, path + " value at index " + index + " is not a byte (an integer 0..255)");
      }
      if (n == indices.length) {
        indices = Arrays.copyOf(indices, n * 2);
        values = Arrays.copyOf(values, n * 2);
      }
      indices[n] = index;
      values[n] = value;
      n++;
    }
    if (n == 0) {
      throw new MetadataException(path, path + " is empty; expected bytes keyed \"0\"..\"n-1\"");
    }
    byte[] key = new byte[n];
    boolean[] seen = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (indices[i] >= n || seen[indices[i]]) {
        throw new MetadataException(
            path, path + " keys must be \"0\"..\"" + (n - 1) + "\", each once; index "
                + indices[i] + " is out of range or repeated");
      }
      seen[indices[i]] = true;
      key[indices[i]] = (byte) values[i];
    }
    return key;
  }

  /** The next value as an int, or -1 when it is not one (including integers too big for an int). */
  private static int nextInt(JsonParser p) throws IOException {
    try {
      return p.nextIntValue(-1);
    } catch (InputCoercionException e) {
      return -1;
    }
  }

  /** Canonical decimal only ("0", "17"; not "017", "-1", "x"); the name is never echoed. */
  private static int parseIndex(String name, String path) throws MetadataException {
    int n = name.length();
    boolean ok = n > 0 && n <= 6 && (n == 1 || name.charAt(0) != '0');
    int index = 0;
    for (int i = 0; ok && i < n; i++) {
      char c = name.charAt(i);
      ok = c >= '0' && c <= '9';
      index = index * 10 + (c - '0');
    }
    if (!ok) {
      throw new MetadataException(
          path, path + " has a key that is not a byte index; expected bytes keyed \"0\"..\"n-1\"");
    }
    return index;
  }

  private static MetadataException illTyped(String path) {
    return new MetadataException(
        path,
        path + " must be an object of bytes keyed \"0\"..\"n-1\", or {\"pubkey\": {...}} for ECDSA");
  }
}
