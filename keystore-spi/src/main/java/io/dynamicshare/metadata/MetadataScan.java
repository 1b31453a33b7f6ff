package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One streaming pass over a metadata object: the well-known values, the naming, the byte ranges
 * needed to splice in a replacement value without touching any other byte, and the path of the first
 * field anywhere in the document whose name marks key-share material ({@link ShareMaterial}).
 *
 * <p>Share material is recorded here, not refused: parsing is also how a store reads back what it
 * wrote, and an entry written before the check existed must stay readable. Writers refuse it through
 * {@link WalletValidator} (every setEntry) and {@link BackupInfo} (every merge).
 */
final class MetadataScan {
  private static final String ROOT = WalletMetadata.ROOT;

  final Naming naming;
  /** Well-known string values; a JSON null counts as absent. */
  final Map<WellKnownField, String> values;
  /** Byte range [start, end) of each well-known field's value, including null values. */
  final Map<WellKnownField, int[]> valueRanges;
  final boolean hasBackupInfo;
  final int fieldCount;
  /** Offset of the root object's closing brace, where new fields are appended. */
  final int closingBrace;
  /** Path of the first share-material field, e.g. {@code "walletMetadata.x[0].secretShare"}, or null. */
  final String shareMaterialField;

  private MetadataScan(
      Naming naming,
      Map<WellKnownField, String> values,
      Map<WellKnownField, int[]> valueRanges,
      boolean hasBackupInfo,
      int fieldCount,
      int closingBrace,
      String shareMaterialField) {
    this.naming = naming;
    this.values = values;
    this.valueRanges = valueRanges;
    this.hasBackupInfo = hasBackupInfo;
    this.fieldCount = fieldCount;
    this.closingBrace = closingBrace;
    this.shareMaterialField = shareMaterialField;
  }

  static MetadataScan scan(byte[] json) throws MetadataException {
    Json.requireUtf8(json, ROOT);
    try (JsonParser p = Json.PARSERS.open(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MetadataException(ROOT, ROOT + " must be a JSON object");
      }
      Naming naming = null;
      String namingDecidedBy = null;
      Map<WellKnownField, String> values = new EnumMap<>(WellKnownField.class);
      Map<WellKnownField, int[]> ranges = new EnumMap<>(WellKnownField.class);
      Set<String> seen = new HashSet<>();
      boolean hasBackupInfo = false;
      String shareMaterial = null;
      int count = 0;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        count++;
        if (!seen.add(name)) {
          String path = ROOT + "." + Text.shorten(name);
          throw new MetadataException(path, path + " appears more than once");
        }
        if (shareMaterial == null && ShareMaterial.isShareMaterial(name)) {
          shareMaterial = ROOT + "." + Text.shorten(name);
        }
        WellKnownField field = WellKnownField.forSpelling(name);
        JsonToken t = p.nextToken();
        int start = Json.tokenStart(p);
        if (field == null) {
          // Unknown fields are kept as bytes, never interpreted: only their field names are looked at.
          shareMaterial = ShareMaterial.skip(p, ROOT, shareMaterial);
          continue;
        }
        Naming fieldNaming = field.namingOf(name);
        if (naming == null) {
          naming = fieldNaming;
          namingDecidedBy = name;
        } else if (naming != fieldNaming) {
          throw mixedNaming(name, fieldNaming, namingDecidedBy);
        }
        String path = ROOT + "." + name;
        if (field == WellKnownField.BACKUP_INFO) {
          if (t != JsonToken.START_OBJECT && t != JsonToken.VALUE_NULL) {
            throw new MetadataException(path, path + " must be a JSON object");
          }
          hasBackupInfo = t == JsonToken.START_OBJECT;
        } else if (t == JsonToken.VALUE_STRING) {
          values.put(field, p.getText()); // metadata strings are not secret
        } else if (t != JsonToken.VALUE_NULL) {
          throw new MetadataException(path, path + " must be a JSON string");
        }
        int end;
        if (t == JsonToken.START_OBJECT) {
          shareMaterial = ShareMaterial.skip(p, ROOT, shareMaterial);
          end = (int) p.currentLocation().getByteOffset();
        } else {
          end = Json.skipValue(p, json, start);
        }
        ranges.put(field, new int[] {start, end});
      }
      int closingBrace = Json.tokenStart(p);
      Json.requireEnd(p, ROOT);
      return new MetadataScan(
          naming == null ? Naming.CAMEL_CASE : naming,
          values,
          ranges,
          hasBackupInfo,
          count,
          closingBrace,
          shareMaterial);
    } catch (IOException e) {
      throw Json.malformed(ROOT, e);
    }
  }

  private static MetadataException mixedNaming(String name, Naming naming, String decidedBy) {
    String path = ROOT + "." + name;
    return new MetadataException(
        path,
        path + " is " + style(naming) + " but " + ROOT + "." + decidedBy + " is "
            + style(naming == Naming.CAMEL_CASE ? Naming.SNAKE_CASE : Naming.CAMEL_CASE)
            + "; a document must use one naming (camelCase as the Node SDK writes it, or snake_case"
            + " as the Rust and Java SDKs write WalletProperties)");
  }

  private static String style(Naming naming) {
    return naming == Naming.SNAKE_CASE ? "snake_case" : "camelCase";
  }
}
