package io.dynamicshare.envelope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.junit.jupiter.api.Test;

/** The hand-written DER of the binding is byte for byte what BouncyCastle's DER writer produces. */
class BindingCodecTest {
  private static final long[] EPOCHS = {0, 1, 127, 128, 65_536, Long.MAX_VALUE};

  @Test
  void encodesExactlyAsBouncyCastleDoes() throws Exception {
    long[] times = {0, 1, 127, 128, 255, 256, -1, -129, 1_700_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE};
    int[] metadataSizes = {0, 1, 100, 127, 128, 200, 255, 256, 70_000};
    String[] aliases = {"0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A", "a", "wallet-é-€", "x".repeat(300)};
    int n = 0;
    for (long time : times) {
      for (int size : metadataSizes) {
        for (String alias : aliases) {
          byte[] metadata = new byte[size];
          Arrays.fill(metadata, (byte) ('a' + n % 26));
          byte[] storeId = new byte[16];
          storeId[n % 16] = (byte) n;
          byte[] commitment = new byte[KeyCommitment.LENGTH];
          commitment[n % 32] = (byte) (n * 7);
          long epoch = EPOCHS[n % EPOCHS.length];
          EntryBinding b = new EntryBinding(alias, metadata, storeId, time, n++ % 2 == 0, epoch)
              .withCommitment(commitment);
          byte[] ours = BindingCodec.encode(b);
          assertArrayEquals(bouncyCastle(b), ours, alias + " / " + size + " / " + time);
          EntryBinding back = BindingCodec.decode(ASN1Set.getInstance(ASN1Primitive.fromByteArray(ours)));
          assertEquals(alias, back.alias());
          assertEquals(time, back.creationTime());
          assertArrayEquals(metadata, back.metadataJson());
          assertEquals(b.identityOnlyAllowed(), back.identityOnlyAllowed());
          assertEquals(epoch, back.keyEpoch());
          assertArrayEquals(commitment, back.keyCommitmentNoCopy());
          assertEquals(EntryBinding.FORMAT_VERSION, back.formatVersion());
        }
      }
    }
  }

  /** The encoder this class replaced: BouncyCastle's object tree, DER-sorted by DERSet. */
  private static byte[] bouncyCastle(EntryBinding b) throws Exception {
    ASN1EncodableVector v = new ASN1EncodableVector(7);
    v.add(attr(CMSAttributes.contentType, CMSObjectIdentifiers.data));
    v.add(attr(EnvelopeOids.FORMAT_VERSION, new ASN1Integer(b.formatVersion())));
    v.add(attr(EnvelopeOids.STORE_ID, new DEROctetString(b.storeId())));
    v.add(attr(EnvelopeOids.ALIAS, new DERUTF8String(b.alias())));
    v.add(attr(EnvelopeOids.WALLET_METADATA, new DEROctetString(b.metadataJson())));
    v.add(attr(EnvelopeOids.CREATION_TIME, new ASN1Integer(b.creationTime())));
    if (b.identityOnlyAllowed()) {
      v.add(attr(EnvelopeOids.ALLOW_IDENTITY_ONLY, ASN1Boolean.TRUE));
    }
    v.add(attr(EnvelopeOids.KEY_COMMITMENT, new DEROctetString(b.keyCommitmentNoCopy())));
    v.add(attr(EnvelopeOids.KEY_EPOCH, new ASN1Integer(b.keyEpoch())));
    return new DERSet(v).getEncoded(ASN1Encoding.DER);
  }

  private static Attribute attr(ASN1ObjectIdentifier oid, ASN1Encodable value) {
    return new Attribute(oid, new DERSet(value));
  }
}
