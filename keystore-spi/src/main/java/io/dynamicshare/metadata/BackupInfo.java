package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Checks a backup-info value before it is spliced into metadata. */
final class BackupInfo {
  static final String FIELD = "backupInfo";

  private BackupInfo() {}

  /** Returns {@code json} if it is exactly one UTF-8 JSON object; otherwise throws. */
  static byte[] check(byte[] json) throws MetadataException {
    if (json == null) {
      throw new MetadataException(FIELD, FIELD + " is missing");
    }
    Json.requireUtf8(json, FIELD);
    try (JsonParser p = Json.PARSERS.open(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MetadataException(FIELD, FIELD + " must be a JSON object");
      }
      p.skipChildren();
      Json.requireEnd(p, FIELD);
      return json;
    } catch (IOException e) {
      throw Json.malformed(FIELD, e);
    }
  }
}
