package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Checks a backup-info value before it is spliced into metadata: one JSON object, holding no field
 * that marks key-share material at any depth. The second check is what stops a whole SDK result
 * ({@code {externalServerKeyShares, backupInfo}}) from being merged as backup info, which would store
 * its {@code secretShare} unencrypted in the metadata.
 */
final class BackupInfo {
  static final String FIELD = "backupInfo";

  private BackupInfo() {}

  /**
   * Returns {@code json} if it is exactly one UTF-8 JSON object without share material; otherwise
   * throws, naming the offending field's path (e.g. {@code backupInfo.externalServerKeyShares}), never
   * its value.
   */
  static byte[] check(byte[] json) throws MetadataException {
    if (json == null) {
      throw new MetadataException(FIELD, FIELD + " is missing");
    }
    Json.requireUtf8(json, FIELD);
    Utf8.check(json, FIELD);
    try (JsonParser p = Json.PARSERS.open(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MetadataException(FIELD, FIELD + " must be a JSON object");
      }
      String shareMaterial = ShareMaterial.skip(p, FIELD, null);
      Json.requireEnd(p, FIELD);
      if (shareMaterial != null) {
        throw ShareMaterial.refused(
            shareMaterial, "the shares are the entry's secret key; merge only the result's backupInfo");
      }
      return json;
    } catch (IOException e) {
      throw Json.malformed(FIELD, e);
    }
  }
}
