package io.dynamicshare.metadata;

import static io.dynamicshare.metadata.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Metadata is stored unencrypted (authenticated, not secret): it must never hold key-share material. Any
 * field so named, at any depth, in either naming, is refused by name and path, never by value.
 */
class ShareMaterialTest {
  /** Stands where a secret would be; must never appear in a message. */
  private static final String SECRET = "5ec2e7c0ffee5ec2e7c0ffee5ec2e7c0ffee";

  private static ServerKeyShares evmShares() throws MetadataException {
    return ServerKeyShares.inspect(bytes(EVM_SHARES));
  }

  private static String withTopLevel(String field, String value) {
    return text(EVM_METADATA).replace("\"chainName\": \"EVM\",", "\"chainName\": \"EVM\", \"" + field + "\": " + value + ",");
  }

  private static MetadataException refusedByValidator(String json, String field) throws Exception {
    WalletMetadata m = WalletMetadata.parse(utf8(json));
    assertEquals(field, m.shareMaterialField());
    MetadataException e = assertRejected(field, () -> WalletValidator.validate(m, evmShares(), true));
    assertTrue(e.getMessage().startsWith(field + " is key-share material"), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    return e;
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "secretShare", "secret_share", "SecretShare", "SECRETSHARE", "externalServerKeyShares",
    "external_server_key_shares", "serverKeyShares", "server_key_shares", "serverKeyShare", "keyShares",
    "key_shares", "keyShare", "key_share", "externalKeySharesWithBackupStatus",
    "external_key_shares_with_backup_status", "privateKey", "private_key", "derivedPrivateKey", "secretKey",
    "secret_key", "mnemonic", "Mnemonic", "seed", "SEED", "seedPhrase", "seed_phrase"
  })
  void everyShareMaterialNameIsRefusedAtTopLevelAndAtDepth(String name) throws Exception {
    refusedByValidator(withTopLevel(name, "\"" + SECRET + "\""), "walletMetadata." + name);
    refusedByValidator(withTopLevel(name, "[{\"pubkey\":{\"0\":1},\"x\":\"" + SECRET + "\"}]"), "walletMetadata." + name);
    String nested = text(EVM_METADATA).replace("\"passwordEncrypted\": true\n        }",
        "\"passwordEncrypted\": true, \"" + name + "\": \"" + SECRET + "\"\n        }");
    refusedByValidator(nested, "walletMetadata.externalServerKeySharesBackupInfo.backups.dynamic[0]." + name);
  }

  @Test
  void theFirstOffenderIsNamedWithItsArrayIndex() throws Exception {
    String json = "{\"walletId\":\"w\",\"accountAddress\":\"a\",\"chainName\":\"EVM\",\"thresholdSignatureScheme\":\"TWO_OF_TWO\","
        + "\"externalServerKeySharesBackupInfo\":{\"backups\":{\"user\":[{},{\"k\":[1,{\"secretShare\":\"" + SECRET
        + "\"}]}],\"external\":[{\"keyShare\":1}]}}}";
    refusedByValidator(json, "walletMetadata.externalServerKeySharesBackupInfo.backups.user[1].k[1].secretShare");
  }

  @Test
  void anEscapedNameIsStillRecognised() throws Exception {
    refusedByValidator(withTopLevel("secret\\u0053hare", "\"" + SECRET + "\""), "walletMetadata.secretShare");
  }

  @Test
  void aStrangeNameIsShownEscapedInThePath() throws Exception {
    MetadataException e = refusedByValidator(
        "{\"a\\nb\":{\"seed\":\"" + SECRET + "\"},\"walletId\":\"w\"}", "walletMetadata.a\\u000ab.seed");
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void theFixturesOwnIdsAndBackupInfoAreNotShareMaterial() throws Exception {
    for (String path : List.of(EVM_METADATA, SNAKE_METADATA, EVM23_METADATA, BTC_METADATA, SVM_METADATA, IDENTITY_ONLY)) {
      assertNull(metadata(path).shareMaterialField(), path);
    }
    String lookalikes = "{\"walletId\":\"w\",\"keyShareId\":\"k\",\"key_share_id\":\"k\",\"externalKeyShareId\":\"e\","
        + "\"keySharesCount\":2,\"seeds\":[],\"publicKey\":\"p\",\"secretShareBackedUp\":true,\"share\":{\"pubkey\":1},"
        + "\"x\":\"secretShare\",\"y\":[\"privateKey\"]}";
    assertNull(WalletMetadata.parse(utf8(lookalikes)).shareMaterialField(), "names like these, and values, are not refused");
  }

  /** The reader stays lenient: a stored document that holds share material still parses, so no wallet is lost. */
  @Test
  void parsingReportsShareMaterialWithoutRefusingIt() throws Exception {
    WalletMetadata m = WalletMetadata.parse(utf8(withTopLevel("secretShare", "\"" + SECRET + "\"")));
    assertEquals("walletMetadata.secretShare", m.shareMaterialField());
    assertEquals("EVM", m.chainName());
  }

  /** The exact incident: the whole refreshWalletAccountShares result merged as backup info. */
  @Test
  void mergingAnSdkResultThatCarriesSharesIntoMetadataIsRefused() throws Exception {
    WalletMetadata m = metadata(EVM_METADATA);
    byte[] refresh = bytes(EVM_REFRESH);
    MetadataException e = assertRejected("backupInfo.externalServerKeyShares", () -> m.withBackupInfo(refresh));
    assertEquals("backupInfo.externalServerKeyShares is key-share material: metadata is stored unencrypted, so it"
        + " must never hold key shares or keys (the shares are the entry's secret key; merge only the result's"
        + " backupInfo)", e.getMessage());
    assertFalse(e.getMessage().contains("0253f3a8"), "no secretShare value in the message");

    byte[] nestedInBackupInfo = utf8("{\"backupInfo\":" + text(EVM_REFRESH) + "}");
    assertRejected("backupInfo.externalServerKeyShares", () -> SdkResult.parse(nestedInBackupInfo));
    assertRejected("backupInfo.backups.user[0].secret_share",
        () -> m.withBackupInfo(utf8("{\"backups\":{\"user\":[{\"secret_share\":\"" + SECRET + "\"}]}}")));
  }

  @Test
  void anSdkResultWhoseWalletMetadataHoldsSharesIsRefused() throws Exception {
    String create = text(EVM_CREATE);
    String poisoned = create.replace("\"walletMetadata\": {", "\"walletMetadata\": {\"keyShares\": [\"" + SECRET + "\"],");
    assertNotEquals(create, poisoned);
    MetadataException e = assertRejected("walletMetadata.keyShares", () -> SdkResult.parse(utf8(poisoned)));
    assertFalse(e.getMessage().contains(SECRET));
    assertNotNull(SdkResult.parse(bytes(EVM_CREATE)).walletMetadata(), "the genuine result still parses");
  }

  @Test
  void theWholeCreateResultGivenAsMetadataIsRefused() throws Exception {
    WalletMetadata m = WalletMetadata.parse(bytes(EVM_CREATE));
    assertEquals("walletMetadata.externalServerKeyShares", m.shareMaterialField());
    assertRejected("walletMetadata.externalServerKeyShares", () -> WalletValidator.validate(m, evmShares(), true));
  }
}
