/**
 * An in-process Azure Key Vault test double (keys API subset) that the real Azure SDK talks to over HTTPS.
 *
 * <p>Entry point: {@link io.dynamicshare.testing.keyvault.KeyVaultTestDouble}. Typical client wiring:
 * <pre>{@code
 * KeyVaultTestDouble vault = KeyVaultTestDouble.start();
 * OkHttpClient ok = new OkHttpClient.Builder()
 *         .sslSocketFactory(vault.clientSslContext().getSocketFactory(), vault.trustManager())
 *         .build();
 * KeyClient keys = new KeyClientBuilder()
 *         .vaultUrl(vault.vaultUrl())
 *         .credential(ctx -> Mono.just(new AccessToken("any", OffsetDateTime.now().plusHours(1))))
 *         .disableChallengeResourceVerification()   // required: 127.0.0.1 is not a subdomain of the resource
 *         .httpClient(new OkHttpAsyncHttpClientBuilder(ok).build())
 *         .buildClient();
 * }</pre>
 *
 * <p>Endpoints: {@code POST /keys/{n}/create}, {@code GET /keys}, {@code GET /keys/{n}[/{v}]},
 * {@code GET /keys/{n}/versions}, {@code PATCH /keys/{n}[/{v}]}, {@code DELETE /keys/{n}},
 * {@code GET|DELETE /deletedkeys/{n}}, {@code POST /keys/{n}[/{v}]/wrapkey|unwrapkey|sign|verify}; AAD emulation:
 * {@code POST /{tenant}/oauth2/v2.0/token}, {@code GET /{tenant}/v2.0/.well-known/openid-configuration},
 * {@code GET /common/discovery/instance}; managed identity: {@code GET /msi/token} (App Service,
 * {@code IDENTITY_ENDPOINT}/{@code IDENTITY_HEADER}) and {@code GET /metadata/identity/oauth2/token} (IMDS,
 * {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}). {@link io.dynamicshare.testing.keyvault.SilentEndpoint} is a
 * server that accepts connections and never answers (a hung token endpoint).
 */
package io.dynamicshare.testing.keyvault;
