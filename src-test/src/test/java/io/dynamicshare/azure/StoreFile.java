package io.dynamicshare.azure;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.KeyCommitment;
import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.KekSignature;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.storekey.StoreKeyBlock;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The store container (format 2, as {@code store/StoreFormat.java} and {@code store/StoreWriter.java} write it)
 * as a test sees it: parsed into its fields, and written from scratch by someone who holds no secret of the
 * application, the attacker A1 of docs/SECURITY.md. Written independently of the product's writer, so a forgery
 * here is what an outsider could build from the format description.
 *
 * <pre>
 * magic | u16 2 | storeId[16] | u64 generation | u32 n, store key block (DER) | u32 count
 * | count x (u16 n, alias | u32 n, CMS entry | entry tag[32]) | file MAC[32]
 * </pre>
 */
final class StoreFile {
    static final byte[] MAGIC = {(byte) 0x89, 'D', 'S', 'K', 'S', '\r', '\n', 0x1a};
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One entry as the container holds it. */
    record Entry(String alias, byte[] cms, byte[] tag) {
    }

    final byte[] storeId;
    final long generation;
    final byte[] blockDer;
    final List<Entry> entries;
    final byte[] fileMac;

    private StoreFile(byte[] storeId, long generation, byte[] blockDer, List<Entry> entries, byte[] fileMac) {
        this.storeId = storeId;
        this.generation = generation;
        this.blockDer = blockDer;
        this.entries = entries;
        this.fileMac = fileMac;
    }

    static StoreFile parse(byte[] file) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file));
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(MAGIC, magic) || in.readUnsignedShort() != 2) {
            throw new IOException("not a format-2 store");
        }
        byte[] storeId = new byte[16];
        in.readFully(storeId);
        long generation = in.readLong();
        byte[] block = new byte[in.readInt()];
        in.readFully(block);
        int count = in.readInt();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] alias = new byte[in.readUnsignedShort()];
            in.readFully(alias);
            byte[] cms = new byte[in.readInt()];
            in.readFully(cms);
            byte[] tag = new byte[32];
            in.readFully(tag);
            entries.add(new Entry(new String(alias, StandardCharsets.UTF_8), cms, tag));
        }
        byte[] mac = new byte[32];
        in.readFully(mac);
        if (in.read() != -1) {
            throw new IOException("data after the file MAC");
        }
        return new StoreFile(storeId, generation, block, entries, mac);
    }

    StoreKeyBlock block() throws Exception {
        return StoreKeyBlock.decode(blockDer);
    }

    /**
     * True when {@code other} is this store with the same store key block and the same entries, byte for byte,
     * in the same order: all that may differ is the generation (and so the file MAC, which covers it).
     */
    boolean sameContentAs(StoreFile other) {
        if (!Arrays.equals(storeId, other.storeId) || !Arrays.equals(blockDer, other.blockDer)
                || entries.size() != other.entries.size()) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            Entry a = entries.get(i);
            Entry b = other.entries.get(i);
            if (!a.alias.equals(b.alias) || !Arrays.equals(a.cms, b.cms) || !Arrays.equals(a.tag, b.tag)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A store forged by A1 for an RSA KEK version, from its public key alone: a fresh store key of their own,
     * with its correct purpose tag and commitment, wrapped (RSA-OAEP-256) with the public key; one planted entry
     * whose data key is wrapped the same way, carrying a correct entry tag; and a correct file MAC. Only the
     * signature needs the vault: {@code signer} decides what goes in its place (nothing, or a signature lifted
     * from a genuine store for A1; the real KEK's signature for the control that proves the forgery well made).
     */
    static byte[] forgeRsa(KekId version, RSAPublicKey publicKey, Signer signer, String alias, byte[] shares,
                           byte[] metadataJson) throws Exception {
        byte[] storeId = random(16);
        byte[] storeKey = random(32);
        byte[] commitment = KeyCommitment.of(storeKey, KeyCommitment.STORE_KEY);
        byte[] block = Arrays.copyOf(storeKey, 64);
        System.arraycopy(purposeTag(storeId, 1), 0, block, 32, 32);
        WrappedKey wrappedStoreKey = new WrappedKey(version, WrapAlgorithm.RSA_OAEP_256,
                KeyWrapCiphers.rsaOaepWrap(publicKey, block));
        DataKey dek = DataKey.generate();
        byte[] dekBytes = dek.getEncoded();
        WrappedKey wrappedDek = new WrappedKey(version, WrapAlgorithm.RSA_OAEP_256,
                KeyWrapCiphers.rsaOaepWrap(publicKey, dekBytes));
        byte[] cms = CmsEnvelope.encode(CmsEnvelope.seal(shares,
                new EntryBinding(alias, metadataJson, storeId, System.currentTimeMillis(), false, 1), dek,
                List.of(wrappedDek)));
        dek.destroy();
        List<KekSignature> signatures = signer.sign(statement(storeId, 1, commitment, version));
        return write(storeId, 1, storeKey, blockDer(1, commitment, List.of(wrappedStoreKey), signatures),
                List.of(new Entry(alias, cms, null)));
    }

    /** What goes in the forged block's signature list, given the statement a genuine signer would sign. */
    interface Signer {
        List<KekSignature> sign(byte[] statement) throws Exception;
    }

    /**
     * The statement an RSA KEK signs for a store key: {@code SEQUENCE { UTF8String purpose, OCTET STRING storeId,
     * INTEGER epoch, OCTET STRING commitment, UTF8String signer }} in DER ({@code StoreKeyBlock.statement}).
     */
    static byte[] statement(byte[] storeId, long epoch, byte[] commitment, KekId signer) throws IOException {
        return new DERSequence(new ASN1Encodable[] {new DERUTF8String("DynamicShareKeyStore/2 store key"),
                new DEROctetString(storeId), new ASN1Integer(epoch), new DEROctetString(commitment),
                new DERUTF8String(signer.value())}).getEncoded(ASN1Encoding.DER);
    }

    /** Writes a container under {@code storeKey}: entry tags (where null) and the file MAC are computed. */
    static byte[] write(byte[] storeId, long generation, byte[] storeKey, byte[] blockDer, List<Entry> entries)
            throws Exception {
        long epoch = StoreKeyBlock.decode(blockDer).epoch();
        Mac entryTag = hmac(derive(storeKey, storeId, "DynamicShareKeyStore/2 entry tag", epoch));
        Mac fileMac = hmac(derive(storeKey, storeId, "DynamicShareKeyStore/2 file MAC", epoch));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeShort(2);
        out.write(storeId);
        out.writeLong(generation);
        out.writeInt(blockDer.length);
        out.write(blockDer);
        out.writeInt(entries.size());
        fileMac.update(bytes.toByteArray());
        for (Entry e : entries) {
            byte[] alias = e.alias.getBytes(StandardCharsets.UTF_8);
            byte[] tag = e.tag;
            if (tag == null) {
                entryTag.update(new byte[] {(byte) (alias.length >>> 8), (byte) alias.length});
                entryTag.update(alias);
                entryTag.update(ByteBuffer.allocate(4).putInt(e.cms.length).array());
                tag = entryTag.doFinal(e.cms);
            }
            out.writeShort(alias.length);
            out.write(alias);
            out.writeInt(e.cms.length);
            out.write(e.cms);
            out.write(tag);
            fileMac.update(new byte[] {(byte) (alias.length >>> 8), (byte) alias.length});
            fileMac.update(alias);
            fileMac.update(ByteBuffer.allocate(4).putInt(e.cms.length).array());
            fileMac.update(tag);
        }
        out.write(fileMac.doFinal());
        return bytes.toByteArray();
    }

    /** {@code StoreKeyBlock ::= SEQUENCE { epoch, commitment, SET OF RecipientInfo, SEQUENCE OF signature }}. */
    static byte[] blockDer(long epoch, byte[] commitment, List<WrappedKey> recipients, List<KekSignature> signatures)
            throws IOException {
        ASN1EncodableVector sigs = new ASN1EncodableVector();
        for (KekSignature s : signatures) {
            sigs.add(new DERSequence(new ASN1Encodable[] {new DERUTF8String(s.signer().value()),
                    new DEROctetString(s.value())}));
        }
        return new DERSequence(new ASN1Encodable[] {new ASN1Integer(epoch), new DEROctetString(commitment),
                RecipientInfoCodec.encodeAll(recipients), new DERSequence(sigs)}).getEncoded(ASN1Encoding.DER);
    }

    /** {@code SHA-256("DynamicShareKeyStore/2 store key" || storeId || u64 epoch)}. */
    static byte[] purposeTag(byte[] storeId, long epoch) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update("DynamicShareKeyStore/2 store key".getBytes(StandardCharsets.US_ASCII));
        d.update(storeId);
        d.update(ByteBuffer.allocate(8).putLong(epoch).array());
        return d.digest();
    }

    private static byte[] derive(byte[] key, byte[] salt, String label, long epoch) {
        byte[] l = label.getBytes(StandardCharsets.US_ASCII);
        byte[] info = Arrays.copyOf(l, l.length + 8);
        System.arraycopy(ByteBuffer.allocate(8).putLong(epoch).array(), 0, info, l.length, 8);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(key, salt, info));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, 32);
        return out;
    }

    private static Mac hmac(byte[] key) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key, "HmacSHA256"));
        return m;
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
