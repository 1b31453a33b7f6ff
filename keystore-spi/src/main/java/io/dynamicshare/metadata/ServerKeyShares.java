package io.dynamicshare.metadata;

import java.util.Arrays;
import java.util.List;

/**
 * Structural view of an {@code externalServerKeyShares} array: how many shares, and each share's
 * public key. Never materialises {@code secretShare} as a String, and keeps no secret bytes: only the
 * public keys are retained, so this object is safe to log or keep.
 *
 * <pre>{@code
 * ServerKeyShares shares = ServerKeyShares.inspect(sharesJson); // sharesJson stays the caller's
 * shares.count();           // 2 for a TWO_OF_THREE wallet
 * shares.allSamePublicKey(); // true for a healthy wallet
 * }</pre>
 */
public final class ServerKeyShares {
  private final byte[][] publicKeys;

  private ServerKeyShares(byte[][] publicKeys) {
    this.publicKeys = publicKeys;
  }

  /**
   * Checks the structure of a shares array and reads the public keys. Each element must be an
   * object with a {@code pubkey} (bytes keyed "0".."n-1", or nested under {@code "pubkey"}) and a
   * non-empty string {@code secretShare}. The input array is neither kept nor modified; the caller
   * still owns (and should zero) it.
   *
   * @throws MetadataException naming the offending element, e.g. {@code
   *     "externalServerKeyShares[1].pubkey"}; messages never quote the input
   */
  public static ServerKeyShares inspect(byte[] sharesJson) throws MetadataException {
    return inspect(sharesJson, Json.PARSERS);
  }

  /** As {@link #inspect(byte[])}, with a chosen parser source (tests watch the parser with it). */
  static ServerKeyShares inspect(byte[] sharesJson, Json.ParserSource parsers) throws MetadataException {
    List<byte[]> keys = ShareScanner.scan(sharesJson, parsers);
    return new ServerKeyShares(keys.toArray(new byte[0][]));
  }

  /** Returns the number of shares, in their original order. */
  public int count() {
    return publicKeys.length;
  }

  /**
   * Returns a copy of the decoded public key of share {@code index} (the inner bytes for the nested
   * ECDSA form).
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < count()}
   */
  public byte[] publicKey(int index) {
    if (index < 0 || index >= publicKeys.length) {
      throw new IndexOutOfBoundsException("share index " + index + " of " + publicKeys.length);
    }
    return publicKeys[index].clone();
  }

  /** Returns whether every share carries the same public key, as all shares of one wallet must. */
  public boolean allSamePublicKey() {
    return firstMismatch() < 0;
  }

  /** Index of the first share whose key differs from share 0, or -1. */
  int firstMismatch() {
    for (int i = 1; i < publicKeys.length; i++) {
      if (!Arrays.equals(publicKeys[0], publicKeys[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Shows the count and key lengths only; there is nothing secret here, but keys are long. */
  @Override
  public String toString() {
    return "ServerKeyShares{count=" + publicKeys.length + ", publicKeyBytes="
        + publicKeys[0].length + ", allSamePublicKey=" + allSamePublicKey() + "}";
  }
}
