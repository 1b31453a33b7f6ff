package io.dynamicshare.metadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable wallet metadata document: the Node SDK's {@code walletMetadata} (camelCase) or the
 * Rust / Java SDK's {@code WalletProperties} (snake_case).
 *
 * <p>The document is kept as the exact bytes it was parsed from, so unknown fields, key order,
 * number spelling and the JSON-in-a-string {@code derivationPath} all survive. Accessors expose the
 * well-known fields; {@code with...} methods return a new document with one field replaced.
 *
 * <pre>{@code
 * WalletMetadata m = WalletMetadata.parse(cachedJsonBytes);
 * m.accountAddress();                        // "0xA9bb..."
 * SdkResult r = SdkResult.parse(updatePasswordReturn);
 * WalletMetadata updated = m.withBackupInfo(r.backupInfo());
 * store(updated.toJson());
 * }</pre>
 *
 * <p>Metadata is not secret, but {@link #toString()} still shows only the well-known fields.
 */
public final class WalletMetadata {
  /** Root of every error path about metadata. */
  static final String ROOT = "walletMetadata";

  private final byte[] json;
  private final MetadataScan scan;

  private WalletMetadata(byte[] json, MetadataScan scan) {
    this.json = json;
    this.scan = scan;
  }

  /**
   * Parses a metadata document. It must be one UTF-8 JSON object, in camelCase or snake_case.
   * Well-known fields must be strings (the backup info an object); JSON null counts as absent.
   * Completeness is checked by {@link WalletValidator}, not here, so any object parses.
   *
   * <p>Whatever the bytes, this returns a document or throws {@link MetadataException}: never an
   * unchecked exception. Share material is reported by {@link #shareMaterialField()}, not refused
   * here, so that a store can always read back what an earlier version wrote; {@link
   * WalletValidator#validate} refuses it before anything is stored.
   *
   * @throws MetadataException if the input is null, not valid UTF-8 (the message names the problem
   *     and its byte offset), not a JSON object, mixes namings, repeats a top-level key or gives a
   *     well-known field the wrong JSON type
   */
  public static WalletMetadata parse(byte[] json) throws MetadataException {
    if (json == null) {
      throw new MetadataException(ROOT, ROOT + " is missing");
    }
    byte[] copy = json.clone();
    Json.requireUtf8(copy, ROOT);
    Utf8.check(copy, ROOT); // so that toJsonString() decodes losslessly
    return new WalletMetadata(copy, MetadataScan.scan(copy));
  }

  /**
   * Parses a metadata document given as text, as a {@code KeyStore.Entry.Attribute} value carries it.
   * Unlike {@code json.getBytes(UTF_8)}, which silently writes {@code '?'} for an unpaired surrogate
   * and so would store a different document than the one given, this refuses one.
   *
   * @throws MetadataException if the text is null or holds an unpaired surrogate (naming its char
   *     index), or as {@link #parse(byte[])}
   */
  public static WalletMetadata parseText(String json) throws MetadataException {
    if (json == null) {
      throw new MetadataException(ROOT, ROOT + " is missing");
    }
    return parse(Utf8.encode(json, ROOT));
  }

  /** Returns a copy of the exact bytes given to {@link #parse(byte[])} (or built by a {@code with...} method). */
  public byte[] toJson() {
    return json.clone();
  }

  /** Returns the document as a string, decoded from its UTF-8 bytes. */
  public String toJsonString() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /** Returns the naming the document uses; {@link Naming#CAMEL_CASE} when it has no well-known field. */
  public Naming naming() {
    return scan.naming;
  }

  /** Returns {@code walletId} / {@code wallet_id}, or null when absent. */
  public String walletId() {
    return scan.values.get(WellKnownField.WALLET_ID);
  }

  /** Returns {@code accountAddress} / {@code account_address}, or null when absent. */
  public String accountAddress() {
    return scan.values.get(WellKnownField.ACCOUNT_ADDRESS);
  }

  /** Returns {@code chainName} / {@code chain_name} (EVM, SVM, BTC, ...), or null when absent. */
  public String chainName() {
    return scan.values.get(WellKnownField.CHAIN_NAME);
  }

  /** Returns the scheme exactly as written (may be unknown; see {@link WalletValidator}), or null. */
  public String thresholdSignatureScheme() {
    return scan.values.get(WellKnownField.THRESHOLD_SIGNATURE_SCHEME);
  }

  /** Returns {@code addressType} / {@code address_type} (BTC only), or null when absent. */
  public String addressType() {
    return scan.values.get(WellKnownField.ADDRESS_TYPE);
  }

  /** Returns the derivation path string exactly (it holds JSON; it is not parsed), or null. */
  public String derivationPath() {
    return scan.values.get(WellKnownField.DERIVATION_PATH);
  }

  /**
   * Returns whether the document carries backup info ({@code externalServerKeySharesBackupInfo}).
   * Identity-only metadata, as {@code fetchWalletMetadata} returns it, has none.
   */
  public boolean hasBackupInfo() {
    return scan.hasBackupInfo;
  }

  /**
   * Returns the path of the first field, at any depth, whose name marks key-share material
   * ({@code secretShare}, {@code externalServerKeyShares}, {@code privateKey}, ... in any naming),
   * e.g. {@code "walletMetadata.externalServerKeySharesBackupInfo.backups.user[0].secretShare"}; null
   * when there is none. {@link WalletValidator#validate} refuses a document for which this is not null.
   */
  public String shareMaterialField() {
    return scan.shareMaterialField;
  }

  /** Number of top-level fields, so the validator can reject an empty object. */
  int fieldCount() {
    return scan.fieldCount;
  }

  /** One well-known value, or null; what {@link #wellKnownFields()} holds, without building the map. */
  String value(WellKnownField f) {
    return scan.values.get(f);
  }

  /**
   * Returns the present well-known string fields under their camelCase names, in the fixed order
   * accountAddress, walletId, chainName, thresholdSignatureScheme, addressType, derivationPath. A
   * camelCase and a snake_case document of the same wallet give equal maps.
   */
  public Map<String, String> wellKnownFields() {
    Map<String, String> out = new LinkedHashMap<>();
    for (WellKnownField f : WellKnownField.values()) {
      String v = value(f);
      if (v != null) {
        out.put(f.camel(), v);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns a document with the backup-info field replaced, or added at the end when absent, under
   * the document's own naming. Key order and unknown fields are kept; the result is compact JSON.
   * The backup info is inserted as given (its nested names are not translated).
   *
   * <pre>{@code
   * WalletMetadata updated = metadata.withBackupInfo(SdkResult.parse(ret).backupInfo());
   * }</pre>
   *
   * @param backupInfoJson a JSON object, e.g. {@link SdkResult#backupInfo()}
   * @throws MetadataException with field {@code "backupInfo"} if it is not one JSON object
   */
  public WalletMetadata withBackupInfo(byte[] backupInfoJson) throws MetadataException {
    return withField(WellKnownField.BACKUP_INFO, BackupInfo.check(backupInfoJson));
  }

  /**
   * Returns a document with the threshold scheme replaced (or added), e.g. after {@code reshare}.
   *
   * @throws MetadataException with field {@code "thresholdSignatureScheme"} for an unknown scheme
   */
  public WalletMetadata withThresholdSignatureScheme(String scheme) throws MetadataException {
    ThresholdSignatureScheme parsed = ThresholdSignatureScheme.parse(scheme);
    byte[] value = ("\"" + parsed.name() + "\"").getBytes(StandardCharsets.UTF_8);
    return withField(WellKnownField.THRESHOLD_SIGNATURE_SCHEME, value);
  }

  /** Splices {@code value} in as the field's value; every other byte is kept, then compacted. */
  private WalletMetadata withField(WellKnownField field, byte[] value) throws MetadataException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + value.length + 64);
    int[] range = scan.valueRanges.get(field);
    if (range != null) {
      out.write(json, 0, range[0]);
      out.write(value, 0, value.length);
      out.write(json, range[1], json.length - range[1]);
    } else {
      byte[] name = ("\"" + field.spelling(scan.naming) + "\":").getBytes(StandardCharsets.UTF_8);
      out.write(json, 0, scan.closingBrace);
      if (scan.fieldCount > 0) {
        out.write(',');
      }
      out.write(name, 0, name.length);
      out.write(value, 0, value.length);
      out.write(json, scan.closingBrace, json.length - scan.closingBrace);
    }
    return parse(Json.compact(out.toByteArray()));
  }

  /** Equal when the JSON bytes are identical. */
  @Override
  public boolean equals(Object o) {
    return o instanceof WalletMetadata && Arrays.equals(json, ((WalletMetadata) o).json);
  }

  /** Hash of the exact JSON bytes, consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return Arrays.hashCode(json);
  }

  /** Shows the well-known fields only, each cut short, and whether backup info is present. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("WalletMetadata{");
    for (Map.Entry<String, String> e : wellKnownFields().entrySet()) {
      sb.append(e.getKey()).append('=').append(Text.shorten(e.getValue())).append(", ");
    }
    return sb.append("backupInfo=").append(hasBackupInfo() ? "present" : "absent").append('}').toString();
  }
}
