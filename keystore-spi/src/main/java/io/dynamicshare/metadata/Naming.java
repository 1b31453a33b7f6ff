package io.dynamicshare.metadata;

/**
 * The field-name style of a wallet metadata document.
 *
 * <p>The Node SDK's {@code walletMetadata} uses {@link #CAMEL_CASE} ({@code accountAddress}); the Rust
 * SDK's and Dynamic's Java SDK's {@code WalletProperties} use {@link #SNAKE_CASE}
 * ({@code account_address}). A document uses one style; mixing both is rejected.
 */
public enum Naming {
  /** Node SDK style, e.g. {@code externalServerKeySharesBackupInfo}. */
  CAMEL_CASE,
  /** Rust / Java SDK style, e.g. {@code external_server_key_shares_backup_info}. */
  SNAKE_CASE
}
