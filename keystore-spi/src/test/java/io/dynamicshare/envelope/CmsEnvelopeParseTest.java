package io.dynamicshare.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.DERUTF8String;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-place parse reads back exactly what encode wrote, and refuses anything that is not that DER. */
class CmsEnvelopeParseTest {
  private final byte[] shares = "[{\"pubkey\":{\"0\":1},\"secretShare\":\"0f0f\"}]".getBytes(StandardCharsets.UTF_8);
  private DataKey dek;
  private SealedEntry sealed;
  private byte[] der;

  @BeforeEach
  void seal() throws Exception {
    dek = DataKey.generate();
    EntryBinding binding = new EntryBinding("0xabc", "{\"chainName\":\"EVM\"}".getBytes(StandardCharsets.UTF_8),
        new byte[16], 1_700_000_000_000L, false, 1);
    WrappedKey wrapped = new WrappedKey(KekId.of("devkek:test/v1"), WrapAlgorithm.AES_KW_256, new byte[40]);
    sealed = CmsEnvelope.seal(shares, binding, dek, Collections.singletonList(wrapped));
    der = CmsEnvelope.encode(sealed);
  }

  @Test
  void readsBackWhatEncodeWrote() throws Exception {
    SealedEntry parsed = CmsEnvelope.parse(der);
    assertArrayEquals(sealed.aad(), parsed.aad(), "the AAD is the authAttrs as a SET OF, byte for byte");
    assertArrayEquals(sealed.ciphertextAndTag(), parsed.ciphertextAndTag());
    assertArrayEquals(sealed.nonce(), parsed.nonce());
    assertEquals("0xabc", parsed.binding().alias());
    assertEquals(sealed.recipients().get(0).kekId(), parsed.recipients().get(0).kekId());
    assertArrayEquals(shares, CmsEnvelope.open(parsed, dek));
    assertArrayEquals(der, CmsEnvelope.encode(parsed));
  }

  @Test
  void everyTruncationIsAnEnvelopeException() {
    for (int n = 0; n < der.length; n++) {
      byte[] cut = Arrays.copyOf(der, n);
      assertThrows(EnvelopeException.class, () -> CmsEnvelope.parse(cut), "cut at " + n);
    }
  }

  @Test
  void trailingBytesAreRefused() {
    byte[] longer = Arrays.copyOf(der, der.length + 1);
    assertTrue(assertThrows(EnvelopeException.class, () -> CmsEnvelope.parse(longer)).getMessage()
        .contains("unexpected content"));
  }

  @Test
  void berLengthsAreRefused() {
    // The outer SEQUENCE's length in long form, as DER never writes a short one: 0x30 0x82 hi lo -> 0x30 0x83 0 hi lo.
    assertEquals(0x82, der[1] & 0xff, "the test entry is longer than 255 bytes");
    byte[] longForm = new byte[der.length + 1];
    longForm[0] = der[0];
    longForm[1] = (byte) 0x83;
    longForm[2] = 0;
    System.arraycopy(der, 2, longForm, 3, der.length - 2);
    assertTrue(assertThrows(EnvelopeException.class, () -> CmsEnvelope.parse(longForm)).getMessage()
        .contains("not DER"));
    byte[] indefinite = der.clone();
    indefinite[1] = (byte) 0x80;
    assertThrows(EnvelopeException.class, () -> CmsEnvelope.parse(indefinite));
  }

  @Test
  void unauthenticatedAttributesAreRefused() throws Exception {
    ContentInfo ci = ContentInfo.getInstance(ASN1Primitive.fromByteArray(der));
    AuthEnvelopedData aed = AuthEnvelopedData.getInstance(ci.getContent());
    ASN1Set unauth = new DERSet(new Attribute(CMSObjectIdentifiers.data, new DERSet(new DERUTF8String("x"))));
    AuthEnvelopedData withUnauth = new AuthEnvelopedData(null, aed.getRecipientInfos(),
        aed.getAuthEncryptedContentInfo(), aed.getAuthAttrs(), aed.getMac(), unauth);
    byte[] other = new ContentInfo(CMSObjectIdentifiers.authEnvelopedData, withUnauth).getEncoded(ASN1Encoding.DER);
    assertTrue(assertThrows(EnvelopeException.class, () -> CmsEnvelope.parse(other)).getMessage()
        .contains("unauthenticated attributes"));
  }

  @Test
  void anotherContentTypeIsRefused() throws Exception {
    byte[] other = new ContentInfo(CMSObjectIdentifiers.envelopedData,
        ContentInfo.getInstance(ASN1Primitive.fromByteArray(der)).getContent()).getEncoded(ASN1Encoding.DER);
    assertTrue(assertThrows(EnvelopeException.class, () -> CmsEnvelope.parse(other)).getMessage()
        .contains("not a CMS AuthEnvelopedData"));
  }
}
