package io.dynamicshare.metadata;

/** Renders non-secret values (metadata fields) for messages and {@code toString}: short and printable. */
final class Text {
  /** Long enough for any real address, id or derivation path; bounds hostile input in logs. */
  static final int MAX_SHOWN = 96;

  private Text() {}

  /** Returns {@code 'value'} with non-printable characters escaped, cut to {@link #MAX_SHOWN} chars. */
  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    return "'" + shorten(value) + "'";
  }

  /** Escapes non-printable characters and cuts to {@link #MAX_SHOWN} characters. */
  static String shorten(String value) {
    StringBuilder sb = new StringBuilder();
    int limit = Math.min(value.length(), MAX_SHOWN);
    for (int i = 0; i < limit; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    if (value.length() > limit) {
      sb.append("...");
    }
    return sb.toString();
  }
}
