package io.dynamicshare.metadata;

/**
 * A wallet document (metadata, key shares or an SDK result) is malformed or fails a storage check.
 *
 * <p>{@link #field()} is the dotted path of the offending field, in the spelling the document uses,
 * for example {@code "walletMetadata.addressType"} or {@code "externalServerKeyShares[1].pubkey"}.
 * The message names the same field in prose.
 *
 * <p>Messages never quote key-share input: at most a byte offset into it. Because parser exceptions
 * can quote their input, this exception never carries one as its cause.
 *
 * <pre>{@code
 * try {
 *   WalletValidator.validate(metadata, shares, false);
 * } catch (MetadataException e) {
 *   log.warn("refusing to store wallet: {} ({})", e.getMessage(), e.field());
 * }
 * }</pre>
 */
public class MetadataException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates an exception about one field.
   *
   * @param field dotted path of the offending field, e.g. {@code "walletMetadata.walletId"}
   * @param message a sentence that names the field and says what is wrong; must not quote secrets
   */
  public MetadataException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** Returns the dotted path of the offending field, e.g. {@code "externalServerKeyShares[0].secretShare"}. */
  public String field() {
    return field;
  }
}
