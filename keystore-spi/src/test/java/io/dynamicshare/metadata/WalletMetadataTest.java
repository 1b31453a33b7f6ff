package io.dynamicshare.metadata;

import static io.dynamicshare.metadata.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalletMetadataTest {

  @ParameterizedTest
  @ValueSource(strings = {EVM_METADATA, SNAKE_METADATA, EVM23_METADATA, BTC_METADATA, IDENTITY_ONLY, SVM_METADATA})
  void everyFixtureRoundTripsByteForByte(String path) throws Exception {
    byte[] file = bytes(path);
    WalletMetadata m = WalletMetadata.parse(file);
    assertArrayEquals(file, m.toJson());
    assertEquals(new String(file, StandardCharsets.UTF_8), m.toJsonString());
    assertEquals(m, WalletMetadata.parse(file.clone()));
    assertEquals(m.hashCode(), WalletMetadata.parse(file.clone()).hashCode());
  }

  @Test
  void parseCopiesInputAndToJsonReturnsCopies() throws Exception {
    byte[] file = bytes(EVM_METADATA);
    WalletMetadata m = WalletMetadata.parse(file);
    Arrays.fill(file, (byte) 'x');
    byte[] out = m.toJson();
    out[0] = 'x';
    assertArrayEquals(bytes(EVM_METADATA), m.toJson());
  }

  @Test
  void evmFieldsAreRead() throws Exception {
    WalletMetadata m = metadata(EVM_METADATA);
    assertEquals(Naming.CAMEL_CASE, m.naming());
    assertEquals("b22393f2-22a6-462a-99cc-1c0bab02c7b4", m.walletId());
    assertEquals("0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A", m.accountAddress());
    assertEquals("EVM", m.chainName());
    assertEquals("TWO_OF_TWO", m.thresholdSignatureScheme());
    assertEquals(EVM_DERIVATION_PATH, m.derivationPath());
    assertNull(m.addressType());
    assertTrue(m.hasBackupInfo());
  }

  @Test
  void btcFieldsAreReadInFixedOrder() throws Exception {
    WalletMetadata m = metadata(BTC_METADATA);
    assertEquals("taproot", m.addressType());
    assertEquals("{\"0\":86,\"1\":0,\"2\":0,\"3\":0,\"4\":0}", m.derivationPath());
    Map<String, String> f = m.wellKnownFields();
    assertEquals(
        List.of("accountAddress", "walletId", "chainName", "thresholdSignatureScheme", "addressType", "derivationPath"),
        List.copyOf(f.keySet()));
    assertEquals("bc1ptpf8k89ufdyqzrq7x6a3n8sjtju7mujp7yvp65zphn7887w8axaqute285", f.get("accountAddress"));
    assertThrows(UnsupportedOperationException.class, () -> f.put("walletId", "x"));
  }

  @Test
  void svmAndTwoOfThreeFieldsAreRead() throws Exception {
    WalletMetadata svm = metadata(SVM_METADATA);
    assertEquals("SVM", svm.chainName());
    assertEquals("8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjsa5iiGNBJ", svm.accountAddress());
    assertEquals("{\"0\":44,\"1\":501,\"2\":0,\"3\":0,\"4\":0}", svm.derivationPath());
    WalletMetadata evm23 = metadata(EVM23_METADATA);
    assertEquals("TWO_OF_THREE", evm23.thresholdSignatureScheme());
    assertEquals("bd7fbe2a-aa7d-4859-bfc5-05c2ffbb963e", evm23.walletId());
  }

  @Test
  void identityOnlyHasNoBackupInfoAndNoAddressType() throws Exception {
    WalletMetadata m = metadata(IDENTITY_ONLY);
    assertFalse(m.hasBackupInfo());
    assertFalse(m.wellKnownFields().containsKey("addressType"));
    assertEquals(5, m.wellKnownFields().size());
    assertEquals(EVM_DERIVATION_PATH, m.derivationPath());
  }

  @Test
  void snakeCaseGivesTheSameWellKnownFieldsAsCamelCase() throws Exception {
    WalletMetadata camel = metadata(EVM_METADATA);
    WalletMetadata snake = metadata(SNAKE_METADATA);
    assertEquals(Naming.SNAKE_CASE, snake.naming());
    assertEquals(camel.wellKnownFields(), snake.wellKnownFields());
    assertEquals(List.copyOf(camel.wellKnownFields().keySet()), List.copyOf(snake.wellKnownFields().keySet()));
    assertTrue(snake.hasBackupInfo());
    assertEquals(EVM_DERIVATION_PATH, snake.derivationPath());
    assertNotEquals(camel, snake);
  }

  @Test
  void updatePasswordMergeGivesNewKeyShareIdAndKeepsOrder() throws Exception {
    WalletMetadata m = metadata(EVM_METADATA);
    byte[] backupInfo = SdkResult.parse(bytes(EVM_UPDATE_PASSWORD)).backupInfo();
    WalletMetadata updated = m.withBackupInfo(backupInfo);
    JsonNode tree = tree(updated.toJson());
    assertEquals(
        "593e0de6-6136-496d-9a56-df459ba45690",
        tree.at("/externalServerKeySharesBackupInfo/backups/dynamic/0/keyShareId").asText());
    assertFalse(updated.toJsonString().contains("dbe13c31-ee5a-45ae-bebe-4e33d8c6d1d2"));
    assertEquals(fieldNames(tree(bytes(EVM_METADATA))), fieldNames(tree));
    assertEquals(m.wellKnownFields(), updated.wellKnownFields());
    assertEquals(tree(backupInfo), tree.get("externalServerKeySharesBackupInfo"));
    assertFalse(updated.toJsonString().contains("\n"), "compact output");
    assertFalse(updated.toJsonString().contains(": "), "compact output");
    assertEquals(tree.toString(), updated.toJsonString()); // Jackson's compact form, same bytes
  }

  @Test
  void unknownFieldsAndUnknownBackupLocationsSurvive() throws Exception {
    String original = text(EVM_METADATA).replace(
        "\"chainName\": \"EVM\",",
        "\"chainName\": \"EVM\",\n  \"futureField\": {\"n\": [1.50, -0, 1e3, 12345678901234567890123], \"s\": \"caf\\u00e9 \\/ ok\"},");
    String newBackup = text(EVM_UPDATE_PASSWORD)
        .replace("\"delegated\": []", "\"delegated\": [],\n      \"offlineRecovery\": [{\"location\": \"offlineRecovery\", \"keyShareId\": \"k-1\"}]");
    byte[] backupInfo = SdkResult.parse(utf8(newBackup)).backupInfo();
    WalletMetadata updated = WalletMetadata.parse(utf8(original)).withBackupInfo(backupInfo);
    String json = updated.toJsonString();
    assertTrue(json.contains(
        "\"futureField\":{\"n\":[1.50,-0,1e3,12345678901234567890123],\"s\":\"caf\\u00e9 \\/ ok\"}"), json);
    assertTrue(json.contains("\"offlineRecovery\":[{\"location\":\"offlineRecovery\",\"keyShareId\":\"k-1\"}]"), json);
    assertEquals(
        List.of("walletId", "accountAddress", "chainName", "futureField", "thresholdSignatureScheme",
            "derivationPath", "externalServerKeySharesBackupInfo"),
        fieldNames(tree(updated.toJson())));
    assertEquals(
        List.of("dynamic", "googleDrive", "iCloud", "user", "external", "delegated", "offlineRecovery"),
        fieldNames(tree(updated.toJson()).at("/externalServerKeySharesBackupInfo/backups")));
    assertEquals(EVM_DERIVATION_PATH, updated.derivationPath());
  }

  @Test
  void withBackupInfoAddsTheFieldAtTheEndOfIdentityOnlyMetadata() throws Exception {
    WalletMetadata m = metadata(IDENTITY_ONLY);
    WalletMetadata full = m.withBackupInfo(utf8("{ \"passwordEncrypted\" : false, \"backups\" : {} }"));
    assertTrue(full.hasBackupInfo());
    assertEquals(
        List.of("walletId", "accountAddress", "chainName", "derivationPath", "thresholdSignatureScheme",
            "externalServerKeySharesBackupInfo"),
        fieldNames(tree(full.toJson())));
    assertTrue(full.toJsonString().endsWith(
        "\"externalServerKeySharesBackupInfo\":{\"passwordEncrypted\":false,\"backups\":{}}}"));
  }

  @Test
  void withBackupInfoUsesTheDocumentsOwnNaming() throws Exception {
    WalletMetadata snake = metadata(SNAKE_METADATA).withBackupInfo(utf8("{\"password_encrypted\":false}"));
    assertEquals(Naming.SNAKE_CASE, snake.naming());
    assertTrue(snake.toJsonString().contains("\"external_server_key_shares_backup_info\":{\"password_encrypted\":false}"));
    assertFalse(snake.toJsonString().contains("externalServerKeySharesBackupInfo"));

    String identitySnake = "{\"wallet_id\":\"w\",\"account_address\":\"a\"}";
    WalletMetadata added = WalletMetadata.parse(utf8(identitySnake)).withBackupInfo(utf8("{}"));
    assertEquals("{\"wallet_id\":\"w\",\"account_address\":\"a\",\"external_server_key_shares_backup_info\":{}}",
        added.toJsonString());
  }

  @Test
  void withBackupInfoOnEmptyObjectAndOnNullValue() throws Exception {
    assertEquals("{\"externalServerKeySharesBackupInfo\":{\"a\":1}}",
        WalletMetadata.parse(utf8("{ }")).withBackupInfo(utf8("{\"a\":1}")).toJsonString());
    WalletMetadata withNull = WalletMetadata.parse(utf8("{\"walletId\":\"w\",\"externalServerKeySharesBackupInfo\":null,\"z\":1}"));
    assertFalse(withNull.hasBackupInfo());
    assertEquals("{\"walletId\":\"w\",\"externalServerKeySharesBackupInfo\":{\"a\":1},\"z\":1}",
        withNull.withBackupInfo(utf8("{\"a\":1}")).toJsonString());
  }

  @Test
  void withBackupInfoRejectsAnythingButOneObject() throws Exception {
    WalletMetadata m = metadata(EVM_METADATA);
    for (String bad : new String[] {"[]", "\"x\"", "null", "42", "", "{", "{} {}", "{}x", "{\"a\":}"}) {
      assertRejected("backupInfo", () -> m.withBackupInfo(utf8(bad)));
    }
    MetadataException e = assertRejected("backupInfo", () -> m.withBackupInfo(null));
    assertEquals("backupInfo is missing", e.getMessage());
    assertEquals("backupInfo must be a JSON object", assertRejected("backupInfo", () -> m.withBackupInfo(utf8("[]"))).getMessage());
  }

  @Test
  void withThresholdSignatureSchemeReplacesInPlace() throws Exception {
    WalletMetadata m = metadata(EVM_METADATA);
    WalletMetadata reshared = m.withThresholdSignatureScheme("TWO_OF_THREE");
    assertEquals("TWO_OF_THREE", reshared.thresholdSignatureScheme());
    assertEquals(fieldNames(tree(m.toJson())), fieldNames(tree(reshared.toJson())));
    assertEquals(tree(m.toJson()).get("externalServerKeySharesBackupInfo"),
        tree(reshared.toJson()).get("externalServerKeySharesBackupInfo"));
    WalletMetadata snake = metadata(SNAKE_METADATA).withThresholdSignatureScheme("THREE_OF_FIVE");
    assertTrue(snake.toJsonString().contains("\"threshold_signature_scheme\":\"THREE_OF_FIVE\""));
    WalletMetadata added = WalletMetadata.parse(utf8("{\"walletId\":\"w\"}")).withThresholdSignatureScheme("TWO_OF_TWO");
    assertEquals("{\"walletId\":\"w\",\"thresholdSignatureScheme\":\"TWO_OF_TWO\"}", added.toJsonString());
  }

  @Test
  void withThresholdSignatureSchemeRejectsUnknownSchemes() throws Exception {
    WalletMetadata m = metadata(EVM_METADATA);
    MetadataException e = assertRejected("thresholdSignatureScheme", () -> m.withThresholdSignatureScheme("TWO_OF_FOUR"));
    assertEquals("thresholdSignatureScheme 'TWO_OF_FOUR' is not a known threshold signature scheme;"
        + " expected one of TWO_OF_TWO, TWO_OF_THREE, THREE_OF_FIVE", e.getMessage());
    assertRejected("thresholdSignatureScheme", () -> m.withThresholdSignatureScheme(null));
    assertRejected("thresholdSignatureScheme", () -> m.withThresholdSignatureScheme("two_of_two"));
  }

  @Test
  void rejectsDocumentsThatAreNotOneJsonObject() {
    for (String bad : new String[] {"[]", "\"x\"", "42", "null", "", "   "}) {
      MetadataException e = assertRejected("walletMetadata", () -> WalletMetadata.parse(utf8(bad)));
      assertEquals("walletMetadata must be a JSON object", e.getMessage(), bad);
    }
    assertEquals("walletMetadata is missing", assertRejected("walletMetadata", () -> WalletMetadata.parse(null)).getMessage());
    MetadataException truncated = assertRejected("walletMetadata", () -> WalletMetadata.parse(utf8("{\"walletId\": ")));
    assertTrue(truncated.getMessage().startsWith("walletMetadata is not valid JSON (error near byte offset "), truncated.getMessage());
    assertRejected("walletMetadata", () -> WalletMetadata.parse(utf8("{} {}")));
    MetadataException trailing = assertRejected("walletMetadata", () -> WalletMetadata.parse(utf8("{}\n]")));
    assertTrue(trailing.getMessage().contains("byte offset 3"), trailing.getMessage());
  }

  @Test
  void rejectsEncodingsOtherThanPlainUtf8() {
    assertTrue(assertRejected("walletMetadata", () -> WalletMetadata.parse(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '{', '}'}))
        .getMessage().contains("byte order mark"));
    assertTrue(assertRejected("walletMetadata", () -> WalletMetadata.parse("{}".getBytes(StandardCharsets.UTF_16LE)))
        .getMessage().contains("not UTF-8"));
    byte[] badUtf8 = utf8("{\"x\":\"ab\"}");
    badUtf8[7] = (byte) 0xff;
    assertEquals("walletMetadata is not valid UTF-8: byte 0xff cannot start a UTF-8 character at byte offset 7",
        assertRejected("walletMetadata", () -> WalletMetadata.parse(badUtf8)).getMessage());
    byte[] encodedSurrogate = utf8("{\"x\":\"abc\"}");
    encodedSurrogate[7] = (byte) 0xed;
    encodedSurrogate[8] = (byte) 0xa0;
    encodedSurrogate[9] = (byte) 0x80;
    assertEquals("walletMetadata is not valid UTF-8: UTF-8-encoded surrogate at byte offset 7",
        assertRejected("walletMetadata", () -> WalletMetadata.parse(encodedSurrogate)).getMessage());
  }

  @Test
  void textWithAnUnpairedSurrogateIsRefusedNotTurnedIntoAQuestionMark() throws Exception {
    assertEquals("walletMetadata is not valid Unicode text: unpaired surrogate U+D800 at char index 13 (it has no"
            + " UTF-8 encoding)",
        assertRejected("walletMetadata", () -> WalletMetadata.parseText("{\"walletId\":\"\uD800\"}")).getMessage());
    assertRejected("walletMetadata", () -> WalletMetadata.parseText("{\"walletId\":\"\uDC00\uD800\"}"));
    assertRejected("walletMetadata", () -> WalletMetadata.parseText("{\"walletId\":\"w\"}\uD83D"));
    assertEquals("walletMetadata is missing", assertRejected("walletMetadata", () -> WalletMetadata.parseText(null)).getMessage());
    String ok = "{\"walletId\":\"w\u00e9\uD83D\uDE00\"}";
    assertEquals(ok, WalletMetadata.parseText(ok).toJsonString());
    assertEquals("w\u00e9\uD83D\uDE00", WalletMetadata.parseText(ok).walletId());
  }

  @Test
  void mixedNamingIsRejectedNamingTheField() {
    String mixed = "{\"walletId\":\"w\",\"account_address\":\"a\"}";
    MetadataException e = assertRejected("walletMetadata.account_address", () -> WalletMetadata.parse(utf8(mixed)));
    assertTrue(e.getMessage().startsWith(
        "walletMetadata.account_address is snake_case but walletMetadata.walletId is camelCase;"), e.getMessage());
    assertRejected("walletMetadata.externalServerKeySharesBackupInfo",
        () -> WalletMetadata.parse(utf8("{\"chain_name\":\"EVM\",\"externalServerKeySharesBackupInfo\":{}}")));
  }

  @Test
  void wrongTypesAndDuplicatesAreRejected() {
    assertEquals("walletMetadata.walletId must be a JSON string",
        assertRejected("walletMetadata.walletId", () -> WalletMetadata.parse(utf8("{\"walletId\":5}"))).getMessage());
    assertRejected("walletMetadata.derivation_path", () -> WalletMetadata.parse(utf8("{\"derivation_path\":{\"0\":44}}")));
    assertEquals("walletMetadata.externalServerKeySharesBackupInfo must be a JSON object",
        assertRejected("walletMetadata.externalServerKeySharesBackupInfo",
            () -> WalletMetadata.parse(utf8("{\"externalServerKeySharesBackupInfo\":\"x\"}"))).getMessage());
    assertEquals("walletMetadata.walletId appears more than once",
        assertRejected("walletMetadata.walletId", () -> WalletMetadata.parse(utf8("{\"walletId\":\"a\",\"walletId\":\"b\"}"))).getMessage());
    assertRejected("walletMetadata.extra", () -> WalletMetadata.parse(utf8("{\"extra\":1,\"extra\":2}")));
  }

  @Test
  void nullValuesCountAsAbsentAndUnknownOnlyDocumentsAreCamelCase() throws Exception {
    WalletMetadata m = WalletMetadata.parse(utf8("{\"address_type\":null,\"wallet_id\":\"w\"}"));
    assertNull(m.addressType());
    assertEquals(Naming.SNAKE_CASE, m.naming());
    assertEquals(Map.of("walletId", "w"), m.wellKnownFields());
    WalletMetadata unknownOnly = WalletMetadata.parse(utf8("{\"x\":[1,{\"y\":null}]}"));
    assertEquals(Naming.CAMEL_CASE, unknownOnly.naming());
    assertTrue(unknownOnly.wellKnownFields().isEmpty());
  }

  @Test
  void nonAsciiValuesRoundTrip() throws Exception {
    String json = "{\"walletId\":\"wállet-\u20ac-\uD83D\uDE00\",\"note\":\"\\u00e9\"}";
    WalletMetadata m = WalletMetadata.parse(utf8(json));
    assertEquals("wállet-\u20ac-\uD83D\uDE00", m.walletId());
    assertEquals(json, m.toJsonString());
  }

  @Test
  void toStringShowsOnlyWellKnownFields() throws Exception {
    String s = metadata(EVM_METADATA).toString();
    assertTrue(s.startsWith("WalletMetadata{accountAddress=0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A, walletId="), s);
    assertTrue(s.endsWith("backupInfo=present}"), s);
    assertFalse(s.contains("keyShareId"), s);
    assertFalse(s.contains("dbe13c31"), s);
    String longValue = "a".repeat(5000);
    String shown = WalletMetadata.parse(utf8("{\"walletId\":\"" + longValue + "\"}")).toString();
    assertTrue(shown.length() < 200, shown);
  }

  @Test
  void equalityIsOnExactBytes() throws Exception {
    WalletMetadata pretty = metadata(EVM_METADATA);
    WalletMetadata compact = WalletMetadata.parse(utf8(tree(bytes(EVM_METADATA)).toString()));
    assertEquals(pretty.wellKnownFields(), compact.wellKnownFields());
    assertNotEquals(pretty, compact);
    assertNotEquals(pretty, null);
    assertNotEquals(pretty, "x");
  }
}
