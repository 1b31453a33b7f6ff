package io.dynamicshare.store.file;

import io.dynamicshare.store.Messages;
import io.dynamicshare.store.EntryRecord;
import io.dynamicshare.store.StoreIntegrityException;

import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EnvelopeException;
import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.kek.KeyWrapCiphers;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.kek.WrappedKey;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;

import javax.crypto.Mac;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Reads container format 1, written before the store key was anchored in the vault. Its MAC key was only
 * wrapped with the KEK, which for an RSA KEK anyone can do, so such a file is not protected against a writer
 * who knows the public key (docs/SECURITY.md). It is read, with a warning, so that existing wallets stay
 * reachable; the next store writes format 2. The KEK ids it names still go through the configuration's
 * allowlist.
 */
final class StoreReaderV1 {
    private static final Logger LOG = Logger.getLogger(StoreReaderV1.class.getName());

    private StoreReaderV1() {
    }

    /** Reads the rest of a format-1 file, after its magic and version. */
    static StoreImage read(ContainerInput input, TrustedKeks keks) throws IOException, GeneralSecurityException {
        byte[] storeId = new byte[StoreFormat.STORE_ID_LENGTH];
        input.fully(storeId, "store id");
        byte[] macKeysDer = input.blob(StoreFormat.MAX_HEADER_BLOB, "store MAC key");
        List<WrappedKey> macKeyWrapped;
        try {
            macKeyWrapped = RecipientInfoCodec.decodeAll(ASN1Set.getInstance(ASN1Primitive.fromByteArray(macKeysDer)));
        } catch (IllegalArgumentException | IOException | EnvelopeException e) {
            throw new StoreIntegrityException("the store header is corrupt (store MAC key)", e);
        }
        byte[] unwrapped;
        try {
            unwrapped = keks.unwrapAny(macKeyWrapped);
        } catch (io.dynamicshare.kek.KeyRefusedException e) {
            throw new StoreIntegrityException("the store failed its integrity check: " + e.getMessage(), e);
        }
        if (unwrapped.length != KeyWrapCiphers.DATA_KEY_LENGTH) {
            java.util.Arrays.fill(unwrapped, (byte) 0);
            throw new StoreIntegrityException("the store header is corrupt: the format-1 MAC key has the wrong length");
        }
        DataKey macKey = DataKey.adopt(unwrapped);
        try {
            Mac mac = Mac.getInstance(StoreFormat.MAC_ALGORITHM);
            mac.init(macKey);
            mac.update(StoreFormat.MAGIC);
            ContainerInput.updateShort(mac, StoreFormat.VERSION_1);
            mac.update(storeId);
            ContainerInput.updateInt(mac, macKeysDer.length);
            mac.update(macKeysDer);
            int count = input.count(mac);
            List<String> aliases = new ArrayList<>(Math.min(count, 1 << 16));
            List<byte[]> blobs = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                byte[] alias = input.alias();
                ContainerInput.updateShort(mac, alias.length);
                mac.update(alias);
                byte[] cms = input.blob(StoreFormat.MAX_ENTRY, "entry " + i);
                ContainerInput.updateInt(mac, cms.length);
                mac.update(cms);
                aliases.add(new String(alias, StandardCharsets.UTF_8));
                blobs.add(cms);
            }
            byte[] tag = new byte[StoreFormat.TAG_LENGTH];
            input.fully(tag, "integrity tag");
            if (!MessageDigest.isEqual(tag, mac.doFinal())) {
                throw new StoreIntegrityException("the store failed its integrity check: entries were added, removed, "
                        + "reordered or altered, or the file was written by another store");
            }
            input.requireEnd();
            List<EntryRecord> entries = ContainerInput.parseEntries(aliases, blobs, storeId);
            for (EntryRecord r : entries) {
                if (r.sealed.binding().formatVersion() != 1) {
                    throw new StoreIntegrityException(Messages.alias(r.alias) + "a format-1 store holds a newer entry");
                }
                // Format 1 had no entry tags: its metadata is checked here, once, so that every later
                // getAttributes answers from metadata known to parse (format 2 validates before sealing).
                r.attributes();
            }
            LOG.warning("DynamicShare: this store is in format 1, which does not protect against a writer who knows "
                    + "the KEK's public key (docs/SECURITY.md). It is read as it stands; the next store() writes "
                    + "format 2. Check it with 'dynamicshare verify' and run 'dynamicshare rekey' if others could "
                    + "write the file.");
            return new StoreImage(StoreFormat.VERSION_1, storeId, 0, null, null, entries, tag);
        } finally {
            macKey.destroy();
        }
    }
}
