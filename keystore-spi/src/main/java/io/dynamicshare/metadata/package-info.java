/**
 * Wallet metadata and key-share structure for the DynamicShare KeyStore, with the checks applied
 * before a wallet is stored.
 *
 * <ul>
 *   <li>{@link io.dynamicshare.metadata.WalletMetadata}: the non-secret {@code walletMetadata} /
 *       {@code WalletProperties} document, kept byte for byte.
 *   <li>{@link io.dynamicshare.metadata.ServerKeyShares}: a structural view of the secret
 *       {@code externalServerKeyShares} array that keeps only public keys.
 *   <li>{@link io.dynamicshare.metadata.SdkResult}: exact slices of an SDK call's return value.
 *   <li>{@link io.dynamicshare.metadata.WalletValidator}: the storage checks.
 * </ul>
 *
 * <pre>{@code
 * SdkResult created = SdkResult.parse(createWalletAccountReturn);
 * byte[] shares = created.externalServerKeyShares();
 * WalletValidator.validate(created.walletMetadata(), ServerKeyShares.inspect(shares), false);
 * }</pre>
 *
 * <p>Share JSON is read only with Jackson's streaming parser, and {@code secretShare} values are
 * skipped undecoded; no message of this package quotes share input.
 */
package io.dynamicshare.metadata;
