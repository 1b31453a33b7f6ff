package io.dynamicshare.metadata;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The field names that mark key-share material, which metadata must never hold: metadata is stored
 * authenticated but unencrypted, beside the sealed shares. The one list, used wherever metadata or backup
 * info is checked.
 *
 * <p>Where the names come from (the shared fixtures and the SDK storage guides):
 *
 * <ul>
 *   <li>{@code externalServerKeyShares} and each share's {@code secretShare}: what createWalletAccount,
 *       refreshWalletAccountShares and reshare return beside the metadata; the Rust SDK's
 *       {@code Vec<ServerKeyShare>} ({@code server_key_shares}, {@code server_key_share}); the singular and
 *       the shorter {@code keyShares} / {@code keyShare} seen in hand-rolled wrappers;
 *   <li>{@code externalKeySharesWithBackupStatus}: the create result's second copy of the shares, each under
 *       {@code share.secretShare};
 *   <li>{@code privateKey}, {@code derivedPrivateKey} (importPrivateKey / exportPrivateKey), {@code secretKey},
 *       {@code mnemonic}, {@code seed}, {@code seedPhrase}: whole keys, never metadata.
 * </ul>
 *
 * A name matches when it equals one of these ignoring ASCII case, {@code '_'} and {@code '-'}, so camelCase,
 * snake_case ({@code secret_share}) and SHOUTING forms all match. Only whole names match: the metadata's own
 * {@code keyShareId}, {@code externalKeyShareId} and {@code externalServerKeySharesBackupInfo} are identifiers,
 * not shares. Field names are compared as decoded, so <code>"secret&#92;u0053hare"</code> written with a JSON escape
 * matches too. Values are never looked at, and never shown: errors name the field's path only.
 */
final class ShareMaterial {
  /** Normalised names (lower case, no '_' or '-'); see the class comment for their origin. */
  static final Set<String> NAMES =
      Collections.unmodifiableSet(
          new HashSet<>(
              Arrays.asList(
                  "secretshare",
                  "secretshares",
                  "externalserverkeyshares",
                  "externalserverkeyshare",
                  "serverkeyshares",
                  "serverkeyshare",
                  "keyshares",
                  "keyshare",
                  "externalkeyshareswithbackupstatus",
                  "privatekey",
                  "derivedprivatekey",
                  "secretkey",
                  "mnemonic",
                  "seed",
                  "seedphrase")));

  /** Hash codes of {@link #NAMES}, sorted: most field names are ruled out by one pass and no allocation. */
  private static final int[] HASHES = hashes();

  private ShareMaterial() {}

  private static int[] hashes() {
    int[] h = new int[NAMES.size()];
    int i = 0;
    for (String n : NAMES) {
      h[i++] = n.hashCode();
    }
    Arrays.sort(h);
    return h;
  }

  /**
   * Whether a (decoded) field name marks share material. Runs for every field name of every metadata
   * document parsed, so it first computes the normalised name's {@code String.hashCode} on the fly and only
   * builds the normalised string when that hash is one of the list's.
   */
  static boolean isShareMaterial(String name) {
    int h = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '_' && c != '-') {
        h = 31 * h + (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
      }
    }
    if (Arrays.binarySearch(HASHES, h) < 0) {
      return false;
    }
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '_' && c != '-') {
        b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
      }
    }
    return NAMES.contains(b.toString());
  }

  /**
   * Steps over the value the parser stands on, checking every field name inside it at any depth, and returns
   * the path of the first share-material field, or {@code found} if it is not null (then names are no longer
   * checked). Iterative, so nesting depth is bounded by the parser's own limit, not the stack. String values are
   * skipped undecoded. Afterwards the parser stands on the value's last token, as after {@code skipChildren()}.
   *
   * @param root the path of the document's root, e.g. {@code "walletMetadata"}
   */
  static String skip(JsonParser p, String root, String found) throws IOException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      return found;
    }
    int depth = 1;
    while (depth > 0) {
      t = p.nextToken();
      if (t == null) {
        throw new IOException("unexpected end of input"); // the parser reports this itself; a backstop
      }
      switch (t) {
        case START_OBJECT:
        case START_ARRAY:
          depth++;
          break;
        case END_OBJECT:
        case END_ARRAY:
          depth--;
          break;
        case FIELD_NAME:
          if (found == null && isShareMaterial(p.currentName())) {
            found = path(p.getParsingContext(), root);
          }
          break;
        default:
          break;
      }
    }
    return found;
  }

  /**
   * The dotted path of the field the context is at: {@code root.a.b[2].c}, names shown with non-printable
   * characters escaped. Built only for an offending field.
   */
  static String path(JsonStreamContext context, String root) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject()) {
        parts.add("." + Text.shorten(c.getCurrentName() == null ? "" : c.getCurrentName()));
      } else if (c.inArray()) {
        parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    StringBuilder b = new StringBuilder(root);
    for (int i = parts.size() - 1; i >= 0; i--) {
      b.append(parts.get(i));
    }
    return b.toString();
  }

  /** The refusal, naming the field's path and never its value. */
  static MetadataException refused(String path, String advice) {
    return new MetadataException(
        path,
        path + " is key-share material: metadata is stored unencrypted, so it must never hold key shares or"
            + " keys (" + advice + ")");
  }
}
