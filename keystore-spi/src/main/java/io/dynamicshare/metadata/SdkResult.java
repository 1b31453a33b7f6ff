package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A parsed SDK return value: {@code createWalletAccount} ({@code walletMetadata},
 * {@code externalServerKeyShares}, ...), {@code refreshWalletAccountShares} and {@code reshare}
 * ({@code externalServerKeyShares}, {@code backupInfo}) or {@code updatePassword}
 * ({@code backupInfo}). Keys may be camelCase or snake_case; other fields are ignored.
 *
 * <p>Nested values are exact byte slices of the input, found from the streaming parser's token
 * offsets; no string value is decoded, so secrets (here and in ignored fields such as
 * {@code externalKeySharesWithBackupStatus}) never become Strings.
 *
 * <p>To avoid keeping a second copy of secret material that nobody can wipe, the shares slice is
 * copied out of the caller's input array on each call to {@link #externalServerKeyShares()}: call it
 * before zeroing the input.
 *
 * <pre>{@code
 * SdkResult r = SdkResult.parse(refreshReturnJson);
 * byte[] shares = r.externalServerKeyShares();
 * try {
 *   WalletMetadata updated = metadata.withBackupInfo(r.backupInfo());
 *   keyStore.store(updated, shares); // one atomic update of shares and backup info
 * } finally {
 *   Arrays.fill(shares, (byte) 0);
 *   Arrays.fill(refreshReturnJson, (byte) 0);
 * }
 * }</pre>
 */
public final class SdkResult {
  static final String ROOT = "sdkResult";

  /** The fields this class extracts, in both namings. */
  private enum Part {
    WALLET_METADATA("walletMetadata", "wallet_metadata"),
    SHARES("externalServerKeyShares", "external_server_key_shares"),
    BACKUP_INFO("backupInfo", "backup_info");

    final String camel;
    final String snake;

    Part(String camel, String snake) {
      this.camel = camel;
      this.snake = snake;
    }

    static Part forName(String name) {
      for (Part part : values()) {
        if (part.camel.equals(name) || part.snake.equals(name)) {
          return part;
        }
      }
      return null;
    }
  }

  private final WalletMetadata walletMetadata;
  /** The caller's input, referenced not copied; see the class comment. Null when no shares. */
  private final byte[] input;
  private final int sharesStart;
  private final int sharesEnd;
  private final byte[] backupInfo;

  private SdkResult(
      WalletMetadata walletMetadata, byte[] input, int sharesStart, int sharesEnd, byte[] backupInfo) {
    this.walletMetadata = walletMetadata;
    this.input = input;
    this.sharesStart = sharesStart;
    this.sharesEnd = sharesEnd;
    this.backupInfo = backupInfo;
  }

  /**
   * Parses an SDK return value. It must be a JSON object holding at least one of walletMetadata,
   * externalServerKeyShares (an array) and backupInfo (an object); a JSON null counts as absent.
   * The shares array's structure is not checked here: use {@link ServerKeyShares#inspect(byte[])}.
   * The walletMetadata and backupInfo must not hold key-share material (a field named {@code
   * secretShare}, {@code externalServerKeyShares}, ... at any depth): those parts are meant to be
   * stored as metadata, which is not encrypted.
   *
   * @throws MetadataException naming the offending field; messages never quote the input
   */
  public static SdkResult parse(byte[] json) throws MetadataException {
    return parse(json, Json.PARSERS);
  }

  /** As {@link #parse(byte[])}, with a chosen parser source (tests watch the parser with it). */
  static SdkResult parse(byte[] json, Json.ParserSource parsers) throws MetadataException {
    if (json == null) {
      throw new MetadataException(ROOT, ROOT + " is missing");
    }
    Json.requireUtf8(json, ROOT);
    int[][] ranges = new int[Part.values().length][];
    try (JsonParser p = parsers.open(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MetadataException(ROOT, ROOT + " must be a JSON object");
      }
      Set<String> seen = new HashSet<>();
      Boolean snake = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        Part part = Part.forName(name);
        JsonToken t = p.nextToken();
        int start = Json.tokenStart(p);
        p.skipChildren(); // strings are left undecoded; containers are skipped whole
        if (part == null) {
          continue;
        }
        if (!seen.add(part.camel)) {
          throw new MetadataException(name, name + " appears more than once");
        }
        boolean isSnake = part.snake.equals(name) && !part.camel.equals(name);
        if (snake != null && snake != isSnake) {
          throw new MetadataException(
              name, name + " mixes camelCase and snake_case with the other fields of the SDK result");
        }
        snake = isSnake;
        if (t == JsonToken.VALUE_NULL) {
          continue;
        }
        JsonToken expected = part == Part.SHARES ? JsonToken.START_ARRAY : JsonToken.START_OBJECT;
        if (t != expected) {
          throw new MetadataException(
              name, name + " must be a JSON " + (part == Part.SHARES ? "array" : "object"));
        }
        ranges[part.ordinal()] = new int[] {start, (int) p.currentLocation().getByteOffset()};
      }
      Json.requireEnd(p, ROOT);
    } catch (IOException e) {
      throw Json.malformed(ROOT, e);
    }
    return build(json, ranges);
  }

  private static SdkResult build(byte[] json, int[][] ranges) throws MetadataException {
    int[] metadata = ranges[Part.WALLET_METADATA.ordinal()];
    int[] shares = ranges[Part.SHARES.ordinal()];
    int[] backup = ranges[Part.BACKUP_INFO.ordinal()];
    if (metadata == null && shares == null && backup == null) {
      throw new MetadataException(
          ROOT, ROOT + " holds none of walletMetadata, externalServerKeyShares, backupInfo");
    }
    WalletMetadata walletMetadata =
        metadata == null ? null : WalletMetadata.parse(Arrays.copyOfRange(json, metadata[0], metadata[1]));
    if (walletMetadata != null && walletMetadata.shareMaterialField() != null) {
      throw ShareMaterial.refused(
          walletMetadata.shareMaterialField(),
          "the SDK returns the shares beside walletMetadata, as externalServerKeyShares; this walletMetadata"
              + " was built or edited with them inside");
    }
    byte[] backupInfo =
        backup == null ? null : BackupInfo.check(Arrays.copyOfRange(json, backup[0], backup[1]));
    return shares == null
        ? new SdkResult(walletMetadata, null, 0, 0, backupInfo)
        : new SdkResult(walletMetadata, json, shares[0], shares[1], backupInfo);
  }

  /** Returns the {@code walletMetadata} of a {@code createWalletAccount} result, or null when absent. */
  public WalletMetadata walletMetadata() {
    return walletMetadata;
  }

  /**
   * Returns the exact bytes of the {@code externalServerKeyShares} array, copied from the input
   * given to {@link #parse(byte[])}, or null when absent. The result is SECRET and a new array on
   * each call: zero it when done.
   *
   * @throws IllegalStateException if the input array was changed (e.g. zeroed) since parsing
   */
  public byte[] externalServerKeyShares() {
    if (input == null) {
      return null;
    }
    if (input[sharesStart] != '[' || input[sharesEnd - 1] != ']') {
      throw new IllegalStateException("the SDK result's input array was modified after parse");
    }
    return Arrays.copyOfRange(input, sharesStart, sharesEnd);
  }

  /**
   * Returns whether the result carries {@code externalServerKeyShares}, without copying them: a
   * caller that expects only backup info (updatePassword) can refuse a refresh or reshare result.
   */
  public boolean hasExternalServerKeyShares() {
    return input != null;
  }

  /** Returns a copy of the exact bytes of the {@code backupInfo} object, or null when absent. */
  public byte[] backupInfo() {
    return backupInfo == null ? null : backupInfo.clone();
  }

  /** Shows which parts are present; never any share content. */
  @Override
  public String toString() {
    return "SdkResult{walletMetadata=" + walletMetadata
        + ", externalServerKeyShares=" + (input == null ? "absent" : "<redacted>")
        + ", backupInfo=" + (backupInfo == null ? "absent" : "present") + "}";
  }
}
