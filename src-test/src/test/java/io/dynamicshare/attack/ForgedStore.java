package io.dynamicshare.attack;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.RecipientInfo;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.dynamicshare.attack.StoreCrypto.concat;
import static io.dynamicshare.attack.StoreCrypto.u16;
import static io.dynamicshare.attack.StoreCrypto.u32;
import static io.dynamicshare.attack.StoreCrypto.u64;

/**
 * The attacker's reader and writer of store files, formats 1 and 2, implemented from the container layout
 * independently of the product:
 * <pre>
 * format 2: magic | u16 2 | storeId[16] | u64 generation | u32 n, store key block DER | u32 count
 *           | count x (u16 n, alias | u32 n, CMS DER | entry tag[32]) | file MAC[32]
 *           file MAC = HMAC(fileMacKey, everything before it, with each entry's DER left out)
 * format 1: magic | u16 1 | storeId[16] | u32 n, SET OF RecipientInfo (the MAC key) | u32 count
 *           | count x (u16 n, alias | u32 n, CMS DER) | HMAC-SHA256(MAC key, everything before it)
 * </pre>
 * Fields are public to the tests and mutable: a forgery is a parse, some edits, and {@link #sealV2} /
 * {@link #sealV1} (what an attacker who knows a store or MAC key does) or {@link #toBytes} (one who does not).
 */
final class ForgedStore {
    static final byte[] MAGIC = {(byte) 0x89, 'D', 'S', 'K', 'S', '\r', '\n', 0x1a};
    /** Offset of the u64 generation in a format-2 file. */
    static final int GENERATION_OFFSET = MAGIC.length + 2 + 16;

    int version;
    byte[] storeId;
    /** Format 2 only. */
    long generation;
    /** Format 2: the store key block DER. Format 1: the DER SET OF RecipientInfo wrapping the MAC key. */
    byte[] header;
    final List<String> aliases = new ArrayList<>();
    final List<byte[]> entries = new ArrayList<>();
    /** Format 2 only: one 32-byte entry tag per entry. */
    final List<byte[]> tags = new ArrayList<>();
    byte[] mac;

    static ForgedStore parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a store file");
        }
        ForgedStore s = new ForgedStore();
        s.version = Short.toUnsignedInt(b.getShort());
        if (s.version != 1 && s.version != 2) {
            throw new IllegalArgumentException("format " + s.version);
        }
        s.storeId = new byte[16];
        b.get(s.storeId);
        if (s.version == 2) {
            s.generation = b.getLong();
        }
        s.header = new byte[b.getInt()];
        b.get(s.header);
        int count = b.getInt();
        for (int i = 0; i < count; i++) {
            byte[] alias = new byte[Short.toUnsignedInt(b.getShort())];
            b.get(alias);
            byte[] cms = new byte[b.getInt()];
            b.get(cms);
            s.aliases.add(new String(alias, StandardCharsets.UTF_8));
            s.entries.add(cms);
            if (s.version == 2) {
                byte[] tag = new byte[32];
                b.get(tag);
                s.tags.add(tag);
            }
        }
        s.mac = new byte[32];
        b.get(s.mac);
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes");
        }
        return s;
    }

    /** A new, empty format-1 file body (the attacker fills in the MAC key recipients and entries). */
    static ForgedStore newV1(byte[] storeId, List<RecipientInfo> macKeyRecipients) {
        ForgedStore s = new ForgedStore();
        s.version = 1;
        s.storeId = storeId.clone();
        s.header = recipientSet(macKeyRecipients);
        s.mac = new byte[32];
        return s;
    }

    static byte[] recipientSet(List<RecipientInfo> recipients) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        recipients.forEach(v::add);
        return StoreCrypto.der(new DERSet(v));
    }

    /** Format 1: the recipients of the MAC key. */
    List<RecipientInfo> macKeyRecipients() {
        try {
            List<RecipientInfo> out = new ArrayList<>();
            for (var e : ASN1Set.getInstance(ASN1Primitive.fromByteArray(header))) {
                out.add(RecipientInfo.getInstance(e));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Format 2: the store key block. */
    StoreCrypto.Block block() {
        return StoreCrypto.Block.decode(header);
    }

    ForgedStore copy() {
        return parse(toBytes());
    }

    int indexOf(String alias) {
        int i = aliases.indexOf(alias);
        if (i < 0) {
            throw new IllegalArgumentException("no alias " + alias);
        }
        return i;
    }

    byte[] entry(String alias) {
        return entries.get(indexOf(alias));
    }

    void remove(String alias) {
        int i = indexOf(alias);
        aliases.remove(i);
        entries.remove(i);
        if (version == 2) {
            tags.remove(i);
        }
    }

    /** Adds an entry; format 2 gets {@code tag} (pass anything when {@link #sealV2} will recompute it). */
    void add(String alias, byte[] cms, byte[] tag) {
        aliases.add(alias);
        entries.add(cms);
        if (version == 2) {
            tags.add(tag == null ? new byte[32] : tag);
        }
    }

    void replace(String alias, byte[] cms) {
        entries.set(indexOf(alias), cms);
    }

    /** The file exactly as the fields say, tags and MAC as they stand. */
    byte[] toBytes() {
        return concat(body(), mac);
    }

    private byte[] body() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(out);
            d.write(MAGIC);
            d.writeShort(version);
            d.write(storeId);
            if (version == 2) {
                d.writeLong(generation);
            }
            d.writeInt(header.length);
            d.write(header);
            d.writeInt(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                byte[] a = aliases.get(i).getBytes(StandardCharsets.UTF_8);
                d.writeShort(a.length);
                d.write(a);
                d.writeInt(entries.get(i).length);
                d.write(entries.get(i));
                if (version == 2) {
                    d.write(tags.get(i));
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Format 2: recomputes every entry tag and the file MAC from {@code storeKey} (32 bytes) at {@code epoch}:
     * what an attacker does with a store key of their own, or an insider with the real one.
     */
    byte[] sealV2(byte[] storeKey, long epoch) {
        if (version != 2) {
            throw new IllegalStateException("format " + version);
        }
        byte[] tagKey = StoreCrypto.entryTagKey(storeKey, storeId, epoch);
        for (int i = 0; i < entries.size(); i++) {
            tags.set(i, StoreCrypto.entryTag(tagKey, aliases.get(i), entries.get(i)));
        }
        mac = fileMac(storeKey, epoch);
        return toBytes();
    }

    /** Format 2: the file MAC under {@code storeKey}, over the fields and tags as they stand. */
    byte[] fileMac(byte[] storeKey, long epoch) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(concat(MAGIC, u16(version), storeId, u64(generation), u32(header.length), header,
                u32(entries.size())));
        for (int i = 0; i < entries.size(); i++) {
            byte[] a = aliases.get(i).getBytes(StandardCharsets.UTF_8);
            m.writeBytes(concat(u16(a.length), a, u32(entries.get(i).length), tags.get(i)));
        }
        return StoreCrypto.hmac(StoreCrypto.fileMacKey(storeKey, storeId, epoch), m.toByteArray());
    }

    /** Format 1: the HMAC under {@code macKey} over everything before it. */
    byte[] sealV1(byte[] macKey) {
        if (version != 1) {
            throw new IllegalStateException("format " + version);
        }
        mac = StoreCrypto.hmac(macKey, body());
        return toBytes();
    }
}
