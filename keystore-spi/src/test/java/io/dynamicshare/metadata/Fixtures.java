package io.dynamicshare.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Test fixtures (copied from the shared synthetic fixtures) and small helpers. */
final class Fixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static final String EVM_METADATA = "evm-2of2/wallet-metadata.json";
  static final String EVM_SHARES = "evm-2of2/server-key-shares.json";
  static final String EVM_CREATE = "evm-2of2/create-wallet-account.return.json";
  static final String EVM_REFRESH = "evm-2of2/refresh-wallet-account-shares.return.json";
  static final String EVM_UPDATE_PASSWORD = "evm-2of2/update-password.return.json";
  static final String SNAKE_METADATA = "evm-2of2-snake/wallet-properties.json";
  static final String EVM23_METADATA = "evm-2of3/wallet-metadata.json";
  static final String EVM23_SHARES = "evm-2of3/server-key-shares.json";
  static final String BTC_METADATA = "btc-taproot-2of2/wallet-metadata.json";
  static final String BTC_SHARES = "btc-taproot-2of2/server-key-shares.json";
  static final String IDENTITY_ONLY = "identity-only/evm-fetch-wallet-metadata.json";
  static final String SVM_METADATA = "svm-2of2/wallet-metadata.json";
  static final String SVM_SHARES = "svm-2of2/server-key-shares.json";
  static final String SVM_CREATE = "svm-2of2/create-wallet-account.return.json";

  static final String EVM_DERIVATION_PATH = "{\"0\":44,\"1\":60,\"2\":0,\"3\":0,\"4\":0}";

  private Fixtures() {}

  static byte[] bytes(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String path) {
    return new String(bytes(path), StandardCharsets.UTF_8);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static WalletMetadata metadata(String path) throws MetadataException {
    return WalletMetadata.parse(bytes(path));
  }

  static JsonNode tree(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /** All JSON whitespace bytes removed (safe for fixtures whose strings hold no whitespace). */
  static byte[] withoutWhitespace(byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : json) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  /** Asserts that {@code call} throws a MetadataException about {@code field}; returns it. */
  static MetadataException assertRejected(String field, Executable call) {
    MetadataException e = assertThrows(MetadataException.class, call);
    assertEquals(field, e.field(), () -> "field of: " + e.getMessage());
    return e;
  }
}
