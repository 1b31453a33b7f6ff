package io.dynamicshare.metadata;

import java.util.HashMap;
import java.util.Map;

/**
 * The top-level metadata fields this package understands, in both spellings.
 *
 * <p>Declaration order is the order of {@link WalletMetadata#wellKnownFields()}.
 */
enum WellKnownField {
  ACCOUNT_ADDRESS("accountAddress", "account_address"),
  WALLET_ID("walletId", "wallet_id"),
  CHAIN_NAME("chainName", "chain_name"),
  THRESHOLD_SIGNATURE_SCHEME("thresholdSignatureScheme", "threshold_signature_scheme"),
  ADDRESS_TYPE("addressType", "address_type"),
  DERIVATION_PATH("derivationPath", "derivation_path"),
  /** The only well-known field whose value is an object; all others are strings. */
  BACKUP_INFO("externalServerKeySharesBackupInfo", "external_server_key_shares_backup_info");

  private static final Map<String, WellKnownField> BY_SPELLING = new HashMap<>();

  static {
    for (WellKnownField f : values()) {
      BY_SPELLING.put(f.camel, f);
      BY_SPELLING.put(f.snake, f);
    }
  }

  private final String camel;
  private final String snake;

  WellKnownField(String camel, String snake) {
    this.camel = camel;
    this.snake = snake;
  }

  /** The camelCase name, used as the key of {@link WalletMetadata#wellKnownFields()}. */
  String camel() {
    return camel;
  }

  /** The field's name in a document of the given naming. */
  String spelling(Naming naming) {
    return naming == Naming.SNAKE_CASE ? snake : camel;
  }

  /** The dotted error path of this field in a document of the given naming. */
  String path(Naming naming) {
    return WalletMetadata.ROOT + "." + spelling(naming);
  }

  /** Returns the field a top-level name spells, or null for an unknown field. */
  static WellKnownField forSpelling(String name) {
    return BY_SPELLING.get(name);
  }

  /** Which naming {@code name} (a spelling of this field) belongs to. */
  Naming namingOf(String name) {
    return name.equals(snake) ? Naming.SNAKE_CASE : Naming.CAMEL_CASE;
  }
}
