package io.dynamicshare.it;

import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.kek.Kek;
import io.dynamicshare.kek.WrappedKey;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.KeyTransRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The test's own reader and writer of the store container (docs/FORMAT.md), written from the format
 * document rather than shared with the product, so it checks the document too. {@link #forge} recomputes
 * the whole-store MAC with the MAC key unwrapped by the KEK: what an attacker holding the KEK could do,
 * which lets tests reach the per-entry defences behind the MAC.
 */
final class ContainerImage {
    byte[] head;            // magic, version, storeId
    byte[] macKeys;         // DER SET OF RecipientInfo
    final List<String> aliases = new ArrayList<>();
    final List<byte[]> entries = new ArrayList<>();
    byte[] tag;

    static ContainerImage parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        ContainerImage c = new ContainerImage();
        c.head = new byte[8 + 2 + 16];
        b.get(c.head);
        c.macKeys = new byte[b.getInt()];
        b.get(c.macKeys);
        int count = b.getInt();
        for (int i = 0; i < count; i++) {
            byte[] alias = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(alias);
            byte[] cms = new byte[b.getInt()];
            b.get(cms);
            c.aliases.add(new String(alias, StandardCharsets.UTF_8));
            c.entries.add(cms);
        }
        c.tag = new byte[32];
        b.get(c.tag);
        if (b.hasRemaining()) {
            throw new IllegalStateException("trailing bytes");
        }
        return c;
    }

    byte[] body() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(head);
        d.writeInt(macKeys.length);
        d.write(macKeys);
        d.writeInt(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            byte[] a = aliases.get(i).getBytes(StandardCharsets.UTF_8);
            d.writeShort(a.length);
            d.write(a);
            d.writeInt(entries.get(i).length);
            d.write(entries.get(i));
        }
        return out.toByteArray();
    }

    /** The file with its original tag (what tampering without the KEK produces). */
    byte[] withOriginalTag() throws Exception {
        return concat(body(), tag);
    }

    /** The file with a correct MAC, computed with the MAC key the KEK unwraps. */
    byte[] forge(Kek kek) throws Exception {
        ASN1Set set = ASN1Set.getInstance(ASN1Primitive.fromByteArray(macKeys));
        WrappedKey w = RecipientInfoCodec.decodeAll(set).get(0);
        byte[] key = kek.unwrap(w);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] body = body();
        return concat(body, mac.doFinal(body));
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
