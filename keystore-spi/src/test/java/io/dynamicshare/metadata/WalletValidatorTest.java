package io.dynamicshare.metadata;

import static io.dynamicshare.metadata.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WalletValidatorTest {
  private static ServerKeyShares shares(String path) throws MetadataException {
    return ServerKeyShares.inspect(bytes(path));
  }

  private static WalletMetadata edited(String path, String from, String to) throws MetadataException {
    String original = text(path);
    assertTrue(original.contains(from), from);
    return WalletMetadata.parse(utf8(original.replace(from, to)));
  }

  @ParameterizedTest
  @CsvSource({
    EVM_METADATA + "," + EVM_SHARES,
    SNAKE_METADATA + "," + EVM_SHARES,
    EVM23_METADATA + "," + EVM23_SHARES,
    BTC_METADATA + "," + BTC_SHARES,
    SVM_METADATA + "," + SVM_SHARES,
  })
  void everyCompleteFixtureWalletIsValid(String metadata, String shares) throws Exception {
    assertDoesNotThrow(() -> WalletValidator.validate(metadata(metadata), shares(shares), false));
  }

  @Test
  void missingOrEmptyMetadata() throws Exception {
    assertEquals("walletMetadata is missing; store the full walletMetadata object the SDK returned",
        assertRejected("walletMetadata", () -> WalletValidator.validate(null, shares(EVM_SHARES), true)).getMessage());
    assertEquals("walletMetadata is an empty JSON object; it must hold at least accountAddress, walletId,"
            + " chainName and thresholdSignatureScheme",
        assertRejected("walletMetadata",
            () -> WalletValidator.validate(WalletMetadata.parse(utf8(" { } ")), shares(EVM_SHARES), true)).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"accountAddress", "walletId", "chainName", "thresholdSignatureScheme"})
  void requiredIdentityFields(String field) throws Exception {
    String original = text(EVM_METADATA);
    String line = original.lines().filter(l -> l.contains("\"" + field + "\"")).findFirst().orElseThrow();
    WalletMetadata missing = WalletMetadata.parse(utf8(original.replace(line + "\n", "")));
    assertEquals("walletMetadata." + field + " is required but missing",
        assertRejected("walletMetadata." + field,
            () -> WalletValidator.validate(missing, shares(EVM_SHARES), false)).getMessage());
    WalletMetadata nulled = WalletMetadata.parse(utf8(original.replaceFirst("\"" + field + "\": \"[^\"]*\"", "\"" + field + "\": null")));
    assertRejected("walletMetadata." + field, () -> WalletValidator.validate(nulled, shares(EVM_SHARES), false));
    WalletMetadata empty = WalletMetadata.parse(utf8(original.replaceFirst("\"" + field + "\": \"[^\"]*\"", "\"" + field + "\": \"\"")));
    assertEquals("walletMetadata." + field + " is required but empty",
        assertRejected("walletMetadata." + field,
            () -> WalletValidator.validate(empty, shares(EVM_SHARES), false)).getMessage());
  }

  @Test
  void snakeCaseErrorsUseSnakeCasePaths() throws Exception {
    WalletMetadata m = edited(SNAKE_METADATA, "\"wallet_id\": \"b22393f2-22a6-462a-99cc-1c0bab02c7b4\",", "");
    assertEquals("walletMetadata.wallet_id is required but missing",
        assertRejected("walletMetadata.wallet_id", () -> WalletValidator.validate(m, shares(EVM_SHARES), false)).getMessage());
  }

  @Test
  void unknownScheme() throws Exception {
    WalletMetadata m = edited(EVM_METADATA, "\"TWO_OF_TWO\"", "\"TWO_OF_FOUR\"");
    assertEquals("walletMetadata.thresholdSignatureScheme 'TWO_OF_FOUR' is not a known threshold signature scheme;"
            + " expected one of TWO_OF_TWO, TWO_OF_THREE, THREE_OF_FIVE",
        assertRejected("walletMetadata.thresholdSignatureScheme",
            () -> WalletValidator.validate(m, shares(EVM_SHARES), true)).getMessage());
  }

  @Test
  void identityOnlyMetadataIsRejectedUnlessAllowed() throws Exception {
    WalletMetadata m = metadata(IDENTITY_ONLY);
    MetadataException e = assertRejected("walletMetadata.externalServerKeySharesBackupInfo",
        () -> WalletValidator.validate(m, shares(EVM_SHARES), false));
    assertEquals("walletMetadata.externalServerKeySharesBackupInfo is missing: this is identity-only metadata"
        + " (what fetchWalletMetadata returns). Signing and exporting with caller-supplied shares would fail"
        + " later, and fetchWalletMetadata cannot restore the backup info. Store the full walletMetadata"
        + " returned by createWalletAccount (or the latest update), or allow identity-only metadata explicitly.",
        e.getMessage());
    assertDoesNotThrow(() -> WalletValidator.validate(m, shares(EVM_SHARES), true));
    WalletMetadata snake = edited(SNAKE_METADATA, "\"external_server_key_shares_backup_info\"", "\"x\"");
    assertRejected("walletMetadata.external_server_key_shares_backup_info",
        () -> WalletValidator.validate(snake, shares(EVM_SHARES), false));
  }

  @Test
  void btcNeedsAddressTypeInTheSdksWords() throws Exception {
    WalletMetadata m = edited(BTC_METADATA, "\"addressType\": \"taproot\",", "");
    MetadataException e = assertRejected("walletMetadata.addressType",
        () -> WalletValidator.validate(m, shares(BTC_SHARES), false));
    assertEquals("addressType is required for BTC. Please provide addressType (taproot or native_segwit).", e.getMessage());
    WalletMetadata empty = edited(BTC_METADATA, "\"taproot\"", "\"\"");
    assertEquals(e.getMessage(), assertRejected("walletMetadata.addressType",
        () -> WalletValidator.validate(empty, shares(BTC_SHARES), false)).getMessage());
  }

  @Test
  void btcAddressTypeMustBeTaprootOrNativeSegwit() throws Exception {
    WalletMetadata wrong = edited(BTC_METADATA, "\"taproot\"", "\"p2pkh\"");
    assertEquals("walletMetadata.addressType 'p2pkh' is not one of taproot, native_segwit (BTC wallets need one of them)",
        assertRejected("walletMetadata.addressType", () -> WalletValidator.validate(wrong, shares(BTC_SHARES), false)).getMessage());
    assertRejected("walletMetadata.addressType",
        () -> WalletValidator.validate(edited(BTC_METADATA, "\"taproot\"", "\"Taproot\""), shares(BTC_SHARES), false));
    WalletMetadata segwit = edited(BTC_METADATA, "\"taproot\"", "\"native_segwit\"");
    assertDoesNotThrow(() -> WalletValidator.validate(segwit, shares(BTC_SHARES), false));
    WalletMetadata evmWithOddType = edited(EVM_METADATA, "\"chainName\": \"EVM\",", "\"chainName\": \"EVM\", \"addressType\": \"p2pkh\",");
    assertDoesNotThrow(() -> WalletValidator.validate(evmWithOddType, shares(EVM_SHARES), false));
  }

  @Test
  void shareCountMustMatchTheScheme() throws Exception {
    assertEquals("externalServerKeyShares holds 2 share(s) but TWO_OF_TWO expects 1 (expected 1, actual 2)",
        assertRejected("externalServerKeyShares",
            () -> WalletValidator.validate(metadata(EVM_METADATA), shares(EVM23_SHARES), false)).getMessage());
    assertEquals("externalServerKeyShares holds 1 share(s) but TWO_OF_THREE expects 2 (expected 2, actual 1)",
        assertRejected("externalServerKeyShares",
            () -> WalletValidator.validate(metadata(EVM23_METADATA), shares(EVM_SHARES), false)).getMessage());
    WalletMetadata threeOfFive = metadata(EVM23_METADATA).withThresholdSignatureScheme("THREE_OF_FIVE");
    assertRejected("externalServerKeyShares", () -> WalletValidator.validate(threeOfFive, shares(EVM23_SHARES), false));
    String s0 = ServerKeySharesTest.fixtureShare(EVM23_SHARES, 0);
    ServerKeyShares three = ServerKeyShares.inspect(utf8("[" + s0 + "," + s0 + "," + s0 + "]"));
    assertDoesNotThrow(() -> WalletValidator.validate(threeOfFive, three, false));
  }

  @Test
  void sharesMustCarryOnePublicKey() throws Exception {
    String a = ServerKeySharesTest.fixtureShare(EVM23_SHARES, 0);
    String b = ServerKeySharesTest.fixtureShare(EVM_SHARES, 0);
    ServerKeyShares mixed = ServerKeyShares.inspect(utf8("[" + a + "," + b + "]"));
    assertEquals("externalServerKeyShares[1].pubkey differs from externalServerKeyShares[0].pubkey;"
            + " all shares of one wallet carry the same public key",
        assertRejected("externalServerKeyShares[1].pubkey",
            () -> WalletValidator.validate(metadata(EVM23_METADATA), mixed, false)).getMessage());
    WalletMetadata threeOfFive = metadata(EVM23_METADATA).withThresholdSignatureScheme("THREE_OF_FIVE");
    ServerKeyShares third = ServerKeyShares.inspect(utf8("[" + a + "," + a + "," + b + "]"));
    assertRejected("externalServerKeyShares[2].pubkey", () -> WalletValidator.validate(threeOfFive, third, false));
  }

  @Test
  void missingShares() throws Exception {
    assertEquals("externalServerKeyShares is missing; a wallet cannot sign without its server key shares",
        assertRejected("externalServerKeyShares", () -> WalletValidator.validate(metadata(EVM_METADATA), null, false)).getMessage());
  }

  @Test
  void aWellKnownValueWithAnUnpairedSurrogateEscapeIsRefused() throws Exception {
    WalletMetadata lone = edited(EVM_METADATA, "\"b22393f2-", "\"\\ud800b22393f2-");
    assertEquals("b22393f2", lone.walletId().substring(1, 9), "the reader still parses it");
    assertEquals("walletMetadata.walletId holds an unpaired surrogate escape (U+D800 at char index 0); it is not"
            + " Unicode text and no UTF-8 reader can represent it",
        assertRejected("walletMetadata.walletId",
            () -> WalletValidator.validate(lone, shares(EVM_SHARES), false)).getMessage());
    WalletMetadata lowFirst = edited(SNAKE_METADATA, "\"{\\\"0\\\"", "\"\\udc00\\ud83d\\ude00{\\\"0\\\"");
    assertRejected("walletMetadata.derivation_path", () -> WalletValidator.validate(lowFirst, shares(EVM_SHARES), false));
    WalletMetadata pair = edited(EVM_METADATA, "\"b22393f2-", "\"\\ud83d\\ude00b22393f2-");
    assertDoesNotThrow(() -> WalletValidator.validate(pair, shares(EVM_SHARES), false));
  }
}
