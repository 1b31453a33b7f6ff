package io.dynamicshare.store;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EnvelopeException;
import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.KekResolver;
import io.dynamicshare.kek.WrappedKey;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;

import javax.crypto.Mac;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads container format 1. Nothing is parsed beyond the header until the whole-store MAC has been
 * verified, so an altered, truncated, reordered or spliced file is rejected before any entry is trusted.
 */
final class StoreReader {
    private StoreReader() {
    }

    static StoreImage read(InputStream in, KekResolver resolver) throws IOException, GeneralSecurityException {
        try {
            return readImage(new DataInputStream(in), resolver);
        } catch (EOFException e) {
            // A length or count field cut off: the same failure as a short blob.
            throw new StoreIntegrityException("the store is truncated", e);
        }
    }

    private static StoreImage readImage(DataInputStream data, KekResolver resolver)
            throws IOException, GeneralSecurityException {
        byte[] magic = new byte[StoreFormat.MAGIC.length];
        readFully(data, magic, "magic");
        if (!StoreFormat.startsWithMagic(magic, magic.length)) {
            throw new StoreIntegrityException("not a DynamicShareKeyStore file (bad magic)");
        }
        int version = data.readUnsignedShort();
        if (version != StoreFormat.VERSION) {
            throw new IOException("store format version " + version + " is not supported (this code reads "
                    + StoreFormat.VERSION + ")");
        }
        byte[] storeId = new byte[StoreFormat.STORE_ID_LENGTH];
        readFully(data, storeId, "store id");
        byte[] macKeysDer = readBlob(data, StoreFormat.MAX_HEADER_BLOB, "store MAC key");
        List<WrappedKey> macKeyWrapped;
        try {
            macKeyWrapped = RecipientInfoCodec.decodeAll(ASN1Set.getInstance(ASN1Primitive.fromByteArray(macKeysDer)));
        } catch (IllegalArgumentException | IOException e) {
            throw new StoreIntegrityException("the store header is corrupt (store MAC key)", e);
        }
        DataKey macKey = DataKey.adopt(Unwrapping.unwrapAny(macKeyWrapped, resolver));
        boolean ok = false;
        try {
            Mac mac = StoreWriter.newMac(macKey);
            mac.update(magic);
            mac.update((byte) (version >>> 8));
            mac.update((byte) version);
            mac.update(storeId);
            updateInt(mac, macKeysDer.length);
            mac.update(macKeysDer);
            int count = data.readInt();
            updateInt(mac, count);
            if (count < 0) {
                throw new StoreIntegrityException("the store header is corrupt (entry count)");
            }
            List<String> aliases = new ArrayList<>(Math.min(count, 1 << 16));
            List<byte[]> blobs = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                byte[] alias = readBlobShort(data);
                mac.update((byte) (alias.length >>> 8));
                mac.update((byte) alias.length);
                mac.update(alias);
                byte[] cms = readBlob(data, StoreFormat.MAX_ENTRY, "entry " + i);
                updateInt(mac, cms.length);
                mac.update(cms);
                aliases.add(new String(alias, StandardCharsets.UTF_8));
                blobs.add(cms);
            }
            byte[] tag = new byte[StoreFormat.TAG_LENGTH];
            readFully(data, tag, "integrity tag");
            if (!MessageDigest.isEqual(tag, mac.doFinal())) {
                throw new StoreIntegrityException("the store failed its integrity check: entries were added, removed, reordered "
                        + "or altered, or the file was written by another store");
            }
            if (data.read() != -1) {
                throw new StoreIntegrityException("the store failed its integrity check: data follows the integrity tag");
            }
            List<EntryRecord> entries = parseEntries(aliases, blobs, storeId);
            ok = true;
            return new StoreImage(storeId, macKey, macKeyWrapped, entries);
        } finally {
            if (!ok) {
                macKey.destroy();
            }
        }
    }

    private static List<EntryRecord> parseEntries(List<String> aliases, List<byte[]> blobs, byte[] storeId)
            throws IOException {
        List<EntryRecord> entries = new ArrayList<>(aliases.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < aliases.size(); i++) {
            String alias = aliases.get(i);
            if (!seen.add(alias)) {
                throw new StoreIntegrityException(Messages.alias(alias) + "appears twice in the store");
            }
            SealedEntry sealed;
            try {
                sealed = CmsEnvelope.parse(blobs.get(i));
            } catch (EnvelopeException e) {
                throw new StoreIntegrityException(Messages.alias(alias) + e.getMessage(), e);
            }
            blobs.set(i, null);
            if (!sealed.binding().alias().equals(alias)) {
                throw new StoreIntegrityException(Messages.alias(alias) + "the entry is bound to another alias");
            }
            if (!sealed.binding().belongsTo(storeId)) {
                throw new StoreIntegrityException(Messages.alias(alias) + "the entry is bound to another store");
            }
            entries.add(new EntryRecord(alias, sealed, i));
        }
        return entries;
    }

    private static void updateInt(Mac mac, int v) {
        mac.update((byte) (v >>> 24));
        mac.update((byte) (v >>> 16));
        mac.update((byte) (v >>> 8));
        mac.update((byte) v);
    }

    private static byte[] readBlob(DataInputStream in, int max, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) {
            throw new StoreIntegrityException("the store is corrupt: " + what + " has an impossible length " + n);
        }
        byte[] b = new byte[n];
        readFully(in, b, what);
        return b;
    }

    private static byte[] readBlobShort(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        if (n == 0 || n > StoreFormat.MAX_ALIAS_BYTES) {
            throw new StoreIntegrityException("the store is corrupt: an alias has an impossible length " + n);
        }
        byte[] b = new byte[n];
        readFully(in, b, "alias");
        return b;
    }

    private static void readFully(DataInputStream in, byte[] b, String what) throws IOException {
        try {
            in.readFully(b);
        } catch (EOFException e) {
            throw new StoreIntegrityException("the store is truncated (in the " + what + ")", e);
        }
    }
}
