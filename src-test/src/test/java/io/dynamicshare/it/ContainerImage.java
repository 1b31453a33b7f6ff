package io.dynamicshare.it;

import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.WrappedKey;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The test's own reader and writer of the store container, format 2 (docs/FORMAT.md), written from the
 * format document rather than shared with the product, so it checks the document too: its HKDF is
 * BouncyCastle's, the product's its own. {@link #forge} recomputes every entry tag and the file MAC with the
 * store key that the KEK unwraps: what an attacker holding the KEK could do, which lets tests reach the
 * per-entry defences behind them.
 */
final class ContainerImage {
    byte[] head;            // magic, version, storeId, generation
    byte[] storeKeyBlock;   // DER StoreKeyBlock
    final List<String> aliases = new ArrayList<>();
    final List<byte[]> entries = new ArrayList<>();
    final List<byte[]> entryTags = new ArrayList<>();
    byte[] tag;

    static ContainerImage parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        ContainerImage c = new ContainerImage();
        c.head = new byte[8 + 2 + 16 + 8];
        b.get(c.head);
        if (c.head[9] != 2) {
            throw new IllegalStateException("not container format 2");
        }
        c.storeKeyBlock = new byte[b.getInt()];
        b.get(c.storeKeyBlock);
        int count = b.getInt();
        for (int i = 0; i < count; i++) {
            byte[] alias = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(alias);
            byte[] cms = new byte[b.getInt()];
            b.get(cms);
            byte[] entryTag = new byte[32];
            b.get(entryTag);
            c.aliases.add(new String(alias, StandardCharsets.UTF_8));
            c.entries.add(cms);
            c.entryTags.add(entryTag);
        }
        c.tag = new byte[32];
        b.get(c.tag);
        if (b.hasRemaining()) {
            throw new IllegalStateException("trailing bytes");
        }
        return c;
    }

    byte[] storeId() {
        return Arrays.copyOfRange(head, 10, 26);
    }

    /** The file with {@code tags} as entry tags, without the file MAC; and what the file MAC covers. */
    private byte[][] body(List<byte[]> tags) throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        ByteArrayOutputStream covered = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(file);
        DataOutputStream m = new DataOutputStream(covered);
        for (DataOutputStream o : List.of(d, m)) {
            o.write(head);
            o.writeInt(storeKeyBlock.length);
            o.write(storeKeyBlock);
            o.writeInt(entries.size());
        }
        for (int i = 0; i < entries.size(); i++) {
            byte[] a = aliases.get(i).getBytes(StandardCharsets.UTF_8);
            for (DataOutputStream o : List.of(d, m)) {
                o.writeShort(a.length);
                o.write(a);
                o.writeInt(entries.get(i).length);
            }
            d.write(entries.get(i));
            d.write(tags.get(i));
            m.write(tags.get(i));
        }
        return new byte[][] {file.toByteArray(), covered.toByteArray()};
    }

    /** The file with its original tags (what tampering without the store key produces). */
    byte[] withOriginalTag() throws Exception {
        List<byte[]> tags = new ArrayList<>(entryTags);
        while (tags.size() < entries.size()) {
            tags.add(new byte[32]);
        }
        return concat(body(tags.subList(0, entries.size()))[0], tag);
    }

    /** The file with correct entry tags and file MAC, computed with the store key the KEK unwraps. */
    byte[] forge(Kek kek) throws Exception {
        ASN1Sequence block = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(storeKeyBlock));
        long epoch = ASN1Integer.getInstance(block.getObjectAt(0)).longValueExact();
        WrappedKey w = RecipientInfoCodec.decodeAll(ASN1Set.getInstance(block.getObjectAt(2))).get(0);
        byte[] unwrapped = kek.unwrap(w);
        byte[] storeKey = Arrays.copyOf(unwrapped, 32);
        byte[] entryKey = hkdf(storeKey, storeId(), "DynamicShareKeyStore/2 entry tag", epoch);
        byte[] fileKey = hkdf(storeKey, storeId(), "DynamicShareKeyStore/2 file MAC", epoch);
        List<byte[]> tags = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            byte[] a = aliases.get(i).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(t);
            d.writeShort(a.length);
            d.write(a);
            d.writeInt(entries.get(i).length);
            d.write(entries.get(i));
            tags.add(hmac(entryKey, t.toByteArray()));
        }
        byte[][] body = body(tags);
        return concat(body[0], hmac(fileKey, body[1]));
    }

    static byte[] hkdf(byte[] ikm, byte[] salt, String label, long epoch) {
        byte[] info = ByteBuffer.allocate(label.length() + 8).put(label.getBytes(StandardCharsets.US_ASCII))
                .putLong(epoch).array();
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA256Digest());
        g.init(new HKDFParameters(ikm, salt, info));
        byte[] out = new byte[32];
        g.generateBytes(out, 0, 32);
        return out;
    }

    static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Offset of the first occurrence of {@code needle} in {@code hay}. */
    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    static AuthEnvelopedData cms(byte[] entry) throws Exception {
        return AuthEnvelopedData.getInstance(ContentInfo.getInstance(ASN1Primitive.fromByteArray(entry)).getContent());
    }

    static byte[] ciphertext(byte[] entry) throws Exception {
        return cms(entry).getAuthEncryptedContentInfo().getEncryptedContent().getOctets();
    }

    static byte[] wrappedKey(byte[] entry) throws Exception {
        RecipientInfo ri = RecipientInfo.getInstance(cms(entry).getRecipientInfos().getObjectAt(0));
        return KeyTransRecipientInfo.getInstance(ri.getInfo()).getEncryptedKey().getOctets();
    }

    /** Flips one bit of {@code entry} at the middle of {@code region}, in place. */
    static void flipInside(byte[] entry, byte[] region) {
        entry[indexOf(entry, region) + region.length / 2] ^= 0x01;
    }
}
