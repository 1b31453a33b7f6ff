package io.dynamicshare.metadata;

import static io.dynamicshare.metadata.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SdkResultTest {
  /** Independent check of where the array starts: the first '[' after the key. */
  private static int arrayStart(byte[] input, String key) {
    String text = new String(input, java.nio.charset.StandardCharsets.ISO_8859_1);
    return text.indexOf('[', text.indexOf("\"" + key + "\""));
  }

  @Test
  void evmCreateResult() throws Exception {
    byte[] input = bytes(EVM_CREATE);
    SdkResult r = SdkResult.parse(input);
    assertEquals(metadata(EVM_METADATA).wellKnownFields(), r.walletMetadata().wellKnownFields());
    assertTrue(r.walletMetadata().hasBackupInfo());
    assertEquals(tree(bytes(EVM_METADATA)), tree(r.walletMetadata().toJson()));
    assertNull(r.backupInfo());

    byte[] slice = r.externalServerKeyShares();
    assertArrayEquals(withoutWhitespace(bytes(EVM_SHARES)), withoutWhitespace(slice));
    int start = arrayStart(input, "externalServerKeyShares");
    assertArrayEquals(Arrays.copyOfRange(input, start, start + slice.length), slice);
    assertEquals('[', slice[0]);
    assertEquals(']', slice[slice.length - 1]);
    assertEquals(1, ServerKeyShares.inspect(slice).count());
    assertNotSame(slice, r.externalServerKeyShares());
  }

  @Test
  void svmCreateResult() throws Exception {
    SdkResult r = SdkResult.parse(bytes(SVM_CREATE));
    assertEquals("SVM", r.walletMetadata().chainName());
    assertArrayEquals(withoutWhitespace(bytes(SVM_SHARES)), withoutWhitespace(r.externalServerKeyShares()));
  }

  @Test
  void refreshResult() throws Exception {
    byte[] input = bytes(EVM_REFRESH);
    SdkResult r = SdkResult.parse(input);
    assertNull(r.walletMetadata());
    byte[] slice = r.externalServerKeyShares();
    assertEquals(tree(input).get("externalServerKeyShares"), tree(slice));
    int start = arrayStart(input, "externalServerKeyShares");
    assertEquals(start, 2 + 2 + "\"externalServerKeyShares\": ".length());
    assertArrayEquals(Arrays.copyOfRange(input, start, start + slice.length), slice);
    ServerKeyShares shares = ServerKeyShares.inspect(slice);
    assertArrayEquals(ServerKeyShares.inspect(bytes(EVM_SHARES)).publicKey(0), shares.publicKey(0));
    assertEquals("6c41cf45-fa59-48df-ace0-c39a8152c90f",
        tree(r.backupInfo()).at("/backups/dynamic/0/keyShareId").asText());
    assertArrayEquals(withoutWhitespace(r.backupInfo()), withoutWhitespace(utf8(tree(input).get("backupInfo").toString())));

    WalletMetadata updated = metadata(EVM_METADATA).withBackupInfo(r.backupInfo());
    assertDoesNotThrow(() -> WalletValidator.validate(updated, shares, false));
  }

  @Test
  void updatePasswordResult() throws Exception {
    SdkResult r = SdkResult.parse(bytes(EVM_UPDATE_PASSWORD));
    assertNull(r.walletMetadata());
    assertNull(r.externalServerKeyShares());
    byte[] info = r.backupInfo();
    assertEquals(tree(bytes(EVM_UPDATE_PASSWORD)).get("backupInfo"), tree(info));
    info[0] = 'x';
    assertEquals('{', r.backupInfo()[0], "backupInfo() returns copies");
  }

  @Test
  void snakeCaseKeysAndReshareFlow() throws Exception {
    String shares = text(EVM23_SHARES).strip(); // the file ends with a newline, the array does not
    String json = "{\"external_server_key_shares\": " + shares + ", \"backup_info\": {\"password_encrypted\": false}}";
    SdkResult r = SdkResult.parse(utf8(json));
    assertArrayEquals(utf8(shares), r.externalServerKeyShares());
    assertEquals("{\"password_encrypted\": false}", new String(r.backupInfo(), java.nio.charset.StandardCharsets.UTF_8));
    WalletMetadata reshared = metadata(EVM_METADATA).withBackupInfo(r.backupInfo()).withThresholdSignatureScheme("TWO_OF_THREE");
    assertDoesNotThrow(() -> WalletValidator.validate(reshared, ServerKeyShares.inspect(r.externalServerKeyShares()), false));
  }

  @Test
  void nullPartsCountAsAbsent() throws Exception {
    SdkResult r = SdkResult.parse(utf8("{\"walletMetadata\":null,\"externalServerKeyShares\":null,\"backupInfo\":{}}"));
    assertNull(r.walletMetadata());
    assertNull(r.externalServerKeyShares());
    assertArrayEquals(utf8("{}"), r.backupInfo());
  }

  @Test
  void malformedResults() {
    assertEquals("sdkResult must be a JSON object", assertRejected("sdkResult", () -> SdkResult.parse(utf8("[]"))).getMessage());
    assertEquals("sdkResult is missing", assertRejected("sdkResult", () -> SdkResult.parse(null)).getMessage());
    assertEquals("sdkResult holds none of walletMetadata, externalServerKeyShares, backupInfo",
        assertRejected("sdkResult", () -> SdkResult.parse(utf8("{\"other\":1}"))).getMessage());
    assertEquals("externalServerKeyShares must be a JSON array",
        assertRejected("externalServerKeyShares", () -> SdkResult.parse(utf8("{\"externalServerKeyShares\":{}}"))).getMessage());
    assertEquals("backup_info must be a JSON object",
        assertRejected("backup_info", () -> SdkResult.parse(utf8("{\"backup_info\":\"x\"}"))).getMessage());
    assertRejected("walletMetadata", () -> SdkResult.parse(utf8("{\"walletMetadata\":[]}")));
    assertEquals("backupInfo appears more than once",
        assertRejected("backupInfo", () -> SdkResult.parse(utf8("{\"backupInfo\":{},\"backupInfo\":{}}"))).getMessage());
    assertEquals("backup_info mixes camelCase and snake_case with the other fields of the SDK result",
        assertRejected("backup_info", () -> SdkResult.parse(utf8("{\"externalServerKeyShares\":[],\"backup_info\":{}}"))).getMessage());
    assertRejected("sdkResult", () -> SdkResult.parse(utf8("{\"backupInfo\":{}} x")));
    assertRejected("sdkResult", () -> SdkResult.parse(utf8("{\"backupInfo\":{")));
    // errors inside the embedded metadata keep the walletMetadata path
    assertRejected("walletMetadata.account_address",
        () -> SdkResult.parse(utf8("{\"walletMetadata\":{\"walletId\":\"w\",\"account_address\":\"a\"}}")));
  }

  @Test
  void sharesAreReadFromTheCallersInputSoZeroingItIsNoticed() throws Exception {
    byte[] input = bytes(EVM_REFRESH);
    SdkResult r = SdkResult.parse(input);
    byte[] first = r.externalServerKeyShares();
    Arrays.fill(first, (byte) 0);
    assertEquals('[', r.externalServerKeyShares()[0], "each call returns a fresh copy");
    Arrays.fill(input, (byte) 0);
    assertThrows(IllegalStateException.class, r::externalServerKeyShares);
    assertEquals('{', r.backupInfo()[0], "non-secret parts were copied at parse time");
  }

  @Test
  void toStringRedactsShares() throws Exception {
    String s = SdkResult.parse(bytes(EVM_CREATE)).toString();
    assertTrue(s.contains("externalServerKeyShares=<redacted>"), s);
    assertTrue(s.contains("accountAddress=0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A"), s);
    assertFalse(s.contains("secretShare"), s);
    assertFalse(s.contains("pubkey"), s);
  }
}
