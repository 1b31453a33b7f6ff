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
 * <p>Checks run in this order and the first failure is thrown: metadata present and non-empty;
 * accountAddress, walletId, chainName, thresholdSignatureScheme present and non-empty; a known
 * scheme; backup info present (unless identity-only metadata is allowed); addressType taproot or
 * native_segwit for BTC; shares present; share count equal to the scheme's server share count; all
 * shares carrying the same public key.
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
