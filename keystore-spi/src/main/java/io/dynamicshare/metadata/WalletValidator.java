package io.dynamicshare.metadata;

/**
 * The checks a KeyStore applies before it stores a wallet: metadata complete enough to sign and
 * export later, and shares that match it. Stateless.
 *
 * <pre>{@code
 * WalletMetadata metadata = WalletMetadata.parse(metadataJson);
 * ServerKeyShares shares = ServerKeyShares.inspect(sharesJson);
 * WalletValidator.validate(metadata, shares, false); // throws MetadataException naming the field
 * }</pre>
 *
 * <p>Checks run in this order and the first failure is thrown: metadata present; no field, at any
 * depth, whose name marks key-share material ({@link WalletMetadata#shareMaterialField()}; metadata
 * is stored unencrypted, so the error names the field's path, never its value); metadata non-empty;
 * accountAddress, walletId, chainName, thresholdSignatureScheme present and non-empty; no well-known
 * value holding an unpaired surrogate (a <code>&#92;ud800</code>-style JSON escape without its pair,
 * which no UTF-8 consumer can represent); a known scheme; backup info present (unless identity-only
 * metadata is allowed); addressType taproot or native_segwit for BTC; shares present; share count
 * equal to the scheme's server share count; all shares carrying the same public key.
 *
 * <p>These are writer-side checks. {@link WalletMetadata#parse} accepts anything an earlier version
 * could have stored, so that a store never refuses to read back one of its own entries.
 */
public final class WalletValidator {
  /** The Node SDK's own wording, so users can search for it. */
  static final String BTC_ADDRESS_TYPE_REQUIRED =
      "addressType is required for BTC. Please provide addressType (taproot or native_segwit).";

  private static final String ROOT = WalletMetadata.ROOT;
  private static final WellKnownField[] REQUIRED = {
    WellKnownField.ACCOUNT_ADDRESS,
    WellKnownField.WALLET_ID,
    WellKnownField.CHAIN_NAME,
    WellKnownField.THRESHOLD_SIGNATURE_SCHEME,
  };

  private WalletValidator() {}

  /**
   * Validates a wallet before it is stored.
   *
   * @param metadata the wallet's metadata; must not be null
   * @param shares the wallet's {@code externalServerKeyShares}; must not be null
   * @param allowIdentityOnly accept metadata without backup info (as {@code fetchWalletMetadata}
   *     returns it); the wallet then cannot sign or export with caller-supplied shares
   * @throws MetadataException for the first failed check; {@link MetadataException#field()} names
   *     the field, e.g. {@code "walletMetadata.addressType"} or {@code "externalServerKeyShares"}
   */
  public static void validate(WalletMetadata metadata, ServerKeyShares shares, boolean allowIdentityOnly)
      throws MetadataException {
    ThresholdSignatureScheme scheme = validateMetadata(metadata, allowIdentityOnly);
    validateShares(shares, scheme);
  }

  private static ThresholdSignatureScheme validateMetadata(WalletMetadata m, boolean allowIdentityOnly)
      throws MetadataException {
    if (m == null) {
      throw new MetadataException(ROOT, ROOT + " is missing; store the full walletMetadata object the SDK returned");
    }
    String shareMaterial = m.shareMaterialField();
    if (shareMaterial != null) {
      throw ShareMaterial.refused(
          shareMaterial,
          "the shares are the entry's secret key, e.g. WalletEntry.of(externalServerKeyShares,"
              + " walletMetadata); store the walletMetadata object alone");
    }
    if (m.fieldCount() == 0) {
      throw new MetadataException(
          ROOT, ROOT + " is an empty JSON object; it must hold at least accountAddress, walletId,"
              + " chainName and thresholdSignatureScheme");
    }
    Naming naming = m.naming();
    for (WellKnownField f : REQUIRED) {
      String value = m.value(f);
      if (value == null || value.isEmpty()) {
        String path = f.path(naming);
        throw new MetadataException(
            path, path + " is required but " + (value == null ? "missing" : "empty"));
      }
    }
    for (WellKnownField f : WellKnownField.values()) {
      String value = m.value(f);
      int at = value == null ? -1 : unpairedSurrogate(value);
      if (at >= 0) {
        String path = f.path(naming);
        throw new MetadataException(
            path,
            path + " holds an unpaired surrogate escape (U+"
                + Integer.toHexString(value.charAt(at)).toUpperCase(java.util.Locale.ROOT) + " at char index " + at
                + "); it is not Unicode text and no UTF-8 reader can represent it");
      }
    }
    ThresholdSignatureScheme scheme =
        ThresholdSignatureScheme.parse(
            m.thresholdSignatureScheme(), WellKnownField.THRESHOLD_SIGNATURE_SCHEME.path(naming));
    if (!m.hasBackupInfo() && !allowIdentityOnly) {
      String path = WellKnownField.BACKUP_INFO.path(naming);
      throw new MetadataException(
          path,
          path + " is missing: this is identity-only metadata (what fetchWalletMetadata returns)."
              + " Signing and exporting with caller-supplied shares would fail later, and"
              + " fetchWalletMetadata cannot restore the backup info. Store the full walletMetadata"
              + " returned by createWalletAccount (or the latest update), or allow identity-only"
              + " metadata explicitly.");
    }
    if ("BTC".equalsIgnoreCase(m.chainName())) {
      validateBtcAddressType(m.addressType(), WellKnownField.ADDRESS_TYPE.path(naming));
    }
    return scheme;
  }

  /** Index of the first unpaired surrogate in {@code s}, or -1. */
  private static int unpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static void validateBtcAddressType(String addressType, String path) throws MetadataException {
    if (addressType == null || addressType.isEmpty()) {
      throw new MetadataException(path, BTC_ADDRESS_TYPE_REQUIRED);
    }
    if (!"taproot".equals(addressType) && !"native_segwit".equals(addressType)) {
      throw new MetadataException(
          path,
          path + " " + Text.quote(addressType)
              + " is not one of taproot, native_segwit (BTC wallets need one of them)");
    }
  }

  private static void validateShares(ServerKeyShares shares, ThresholdSignatureScheme scheme)
      throws MetadataException {
    String root = ShareScanner.ROOT;
    if (shares == null) {
      throw new MetadataException(root, root + " is missing; a wallet cannot sign without its server key shares");
    }
    if (shares.count() != scheme.serverShareCount()) {
      throw new MetadataException(
          root,
          root + " holds " + shares.count() + " share(s) but " + scheme.name() + " expects "
              + scheme.serverShareCount() + " (expected " + scheme.serverShareCount() + ", actual "
              + shares.count() + ")");
    }
    int mismatch = shares.firstMismatch();
    if (mismatch >= 0) {
      String path = root + "[" + mismatch + "].pubkey";
      throw new MetadataException(
          path, path + " differs from " + root + "[0].pubkey; all shares of one wallet carry the same public key");
    }
  }
}
