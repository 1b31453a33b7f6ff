package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks an {@code externalServerKeyShares} array with the streaming parser and keeps only the
 * public keys.
 *
 * <p>Secret hygiene: {@code secretShare} is checked to be a non-empty JSON string by its token type
 * and one raw byte, then skipped. Jackson decodes string text lazily, so skipping it means the secret
 * never becomes a {@code String} or {@code char[]}. Unknown share fields are skipped the same way.
 */
final class ShareScanner {
  static final String ROOT = "externalServerKeyShares";
  private static final String PUBKEY = "pubkey";
  private static final String SECRET = "secretShare";

  private ShareScanner() {}

  static List<byte[]> scan(byte[] json, Json.ParserSource parsers) throws MetadataException {
    if (json == null) {
      throw new MetadataException(ROOT, ROOT + " is missing");
    }
    Json.requireUtf8(json, ROOT);
    String path = ROOT; // where we are, so a parse error names the share it happened in
    try (JsonParser p = parsers.open(json)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new MetadataException(ROOT, ROOT + " must be a JSON array of share objects");
      }
      List<byte[]> keys = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        path = ROOT + "[" + keys.size() + "]";
        keys.add(scanShare(p, json, path));
      }
      path = ROOT;
      if (keys.isEmpty()) {
        throw new MetadataException(ROOT, ROOT + " is an empty array; a wallet has at least one server key share");
      }
      Json.requireEnd(p, ROOT);
      return keys;
    } catch (IOException e) {
      throw Json.malformed(path, e);
    }
  }

  /** Reads one share object; returns its public key. */
  private static byte[] scanShare(JsonParser p, byte[] json, String path)
      throws IOException, MetadataException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new MetadataException(path, path + " must be a JSON object with pubkey and secretShare");
    }
    byte[] pubkey = null;
    boolean secretSeen = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (PUBKEY.equals(name)) {
        requireOnce(pubkey != null, path + "." + PUBKEY);
        pubkey = PublicKeyReader.read(p, path + "." + PUBKEY);
      } else if (SECRET.equals(name)) {
        requireOnce(secretSeen, path + "." + SECRET);
        secretSeen = true;
        checkSecret(p, json, value, path + "." + SECRET);
      } else {
        p.skipChildren(); // unknown field: strings stay undecoded, containers are skipped whole
      }
    }
    if (pubkey == null) {
      throw new MetadataException(path + "." + PUBKEY, path + "." + PUBKEY + " is missing");
    }
    if (!secretSeen) {
      throw new MetadataException(path + "." + SECRET, path + "." + SECRET + " is missing");
    }
    return pubkey;
  }

  /** Type check without decoding: the token type, and the raw byte after the opening quote. */
  private static void checkSecret(JsonParser p, byte[] json, JsonToken value, String path)
      throws MetadataException, IOException {
    if (value != JsonToken.VALUE_STRING) {
      p.skipChildren();
      throw new MetadataException(path, path + " must be a JSON string (hex)");
    }
    int start = Json.tokenStart(p);
    if (start >= 0 && start + 1 < json.length && json[start] == '"' && json[start + 1] == '"') {
      throw new MetadataException(path, path + " is an empty string");
    }
  }

  private static void requireOnce(boolean alreadySeen, String path) throws MetadataException {
    if (alreadySeen) {
      throw new MetadataException(path, path + " appears more than once");
    }
  }
}
