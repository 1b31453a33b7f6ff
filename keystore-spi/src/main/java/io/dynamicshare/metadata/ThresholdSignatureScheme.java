package io.dynamicshare.metadata;

/**
 * The MPC threshold scheme of a wallet, and how many server key shares the customer holds for it.
 *
 * <pre>{@code
 * ThresholdSignatureScheme s = ThresholdSignatureScheme.parse(metadata.thresholdSignatureScheme());
 * int expectedShares = s.serverShareCount(); // TWO_OF_THREE -> 2
 * }</pre>
 */
public enum ThresholdSignatureScheme {
  /** 2-of-2: the customer holds 1 server share. */
  TWO_OF_TWO(1),
  /** 2-of-3: the customer holds 2 server shares. */
  TWO_OF_THREE(2),
  /** 3-of-5: the customer holds 3 server shares. */
  THREE_OF_FIVE(3);

  private final int serverShareCount;

  ThresholdSignatureScheme(int serverShareCount) {
    this.serverShareCount = serverShareCount;
  }

  /** Returns how many {@code externalServerKeyShares} a wallet of this scheme has. */
  public int serverShareCount() {
    return serverShareCount;
  }

  /**
   * Parses the SDK's spelling of a scheme, exactly ({@code "TWO_OF_TWO"}, not {@code "two_of_two"}).
   *
   * @throws MetadataException with field {@code "thresholdSignatureScheme"} when {@code name} is null
   *     or not a known scheme
   */
  public static ThresholdSignatureScheme parse(String name) throws MetadataException {
    return parse(name, "thresholdSignatureScheme");
  }

  /** Same as {@link #parse(String)}, reporting errors against {@code field}. */
  static ThresholdSignatureScheme parse(String name, String field) throws MetadataException {
    if (name == null) {
      throw new MetadataException(field, field + " is missing; expected one of " + allNames());
    }
    for (ThresholdSignatureScheme s : values()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new MetadataException(
        field,
        field + " " + Text.quote(name) + " is not a known threshold signature scheme; expected one of "
            + allNames());
  }

  private static String allNames() {
    StringBuilder sb = new StringBuilder();
    for (ThresholdSignatureScheme s : values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(s.name());
    }
    return sb.toString();
  }
}
