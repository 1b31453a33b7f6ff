package io.dynamicshare.store.file;

import io.dynamicshare.store.Messages;
import io.dynamicshare.store.EntryRecord;
import io.dynamicshare.store.StoreIntegrityException;
import io.dynamicshare.store.StoreRollbackException;

import io.dynamicshare.envelope.EnvelopeException;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.TrustedKeks;
import io.dynamicshare.kek.KeyRefusedException;
import io.dynamicshare.storekey.StoreKey;
import io.dynamicshare.storekey.StoreKeyAnchor;
import io.dynamicshare.storekey.StoreKeyBlock;
import io.dynamicshare.storekey.StoreKeyException;

import javax.crypto.Mac;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a store: format 2, or format 1 through {@link StoreReaderV1}. Nothing is parsed beyond the header
 * until the store key is anchored and every entry tag and the file MAC verify, so a forged, altered,
 * truncated, reordered or spliced file is refused before any entry is trusted.
 */
final class StoreReader {
    private StoreReader() {
    }

    /**
     * @param minGeneration the oldest generation accepted (0 accepts every file)
     * @param readFormat1   whether format-1 files are read ({@code legacy.format1=read})
     * @throws StoreRollbackException if the file is older than {@code minGeneration}
     * @throws StoreIntegrityException if the file is not a genuine store
     * @throws KekException if a key service failed or the configuration does not allow the store's KEK
     */
    static StoreImage read(InputStream in, TrustedKeks keks, long minGeneration, boolean readFormat1)
            throws IOException, GeneralSecurityException {
        ContainerInput input = new ContainerInput(in);
        try {
            byte[] magic = new byte[StoreFormat.MAGIC.length];
            input.fully(magic, "magic");
            if (!StoreFormat.startsWithMagic(magic, magic.length)) {
                throw new StoreIntegrityException("not a DynamicShareKeyStore file (bad magic)");
            }
            int version = input.data.readUnsignedShort();
            if (version == StoreFormat.VERSION_1) {
                if (!readFormat1) {
                    throw new StoreIntegrityException("the store is in format 1, which anyone who knows an RSA KEK's "
                            + "public key can forge, so it is refused. To migrate a store you trust, set "
                            + "'legacy.format1=read' in the DynamicShare configuration, load it, store it (format 2 is "
                            + "written), then remove the setting (docs/SECURITY.md)");
                }
                if (minGeneration > 0) {
                    throw new StoreRollbackException(0, minGeneration);
                }
                return StoreReaderV1.read(input, keks);
            }
            if (version != StoreFormat.VERSION && version != StoreFormat.VERSION_3) {
                // Not tampering: a newer writer, or the wrong tool. The file may be fine.
                throw new IOException("store format version " + version + " is not supported (this code reads 1, "
                        + StoreFormat.VERSION + " and " + StoreFormat.VERSION_3 + ")");
            }
            return readV2(input, keks, minGeneration, version);
        } catch (EOFException e) {
            // A length or count field cut off: the same failure as a short blob.
            throw new StoreIntegrityException("the store is truncated", e);
        }
    }

    /** Formats 2 and 3 (which adds the branch key blocks after the store key block). */
    private static StoreImage readV2(ContainerInput input, TrustedKeks keks, long minGeneration, int version)
            throws IOException, GeneralSecurityException {
        byte[] storeId = new byte[StoreFormat.STORE_ID_LENGTH];
        input.fully(storeId, "store id");
        long generation = input.data.readLong();
        byte[] blockDer = input.blob(StoreFormat.MAX_HEADER_BLOB, "store key block");
        StoreKeyBlock block;
        try {
            block = StoreKeyBlock.decode(blockDer);
        } catch (EnvelopeException e) {
            throw new StoreIntegrityException("the store header is corrupt: " + e.getMessage(), e);
        }
        List<byte[]> branchDer = new ArrayList<>();
        List<StoreKeyBlock> branchBlocks = version == StoreFormat.VERSION_3 ? readBranchKeyBlocks(input, branchDer)
                : java.util.Collections.<StoreKeyBlock>emptyList();
        StoreKey key;
        try {
            key = StoreKeyAnchor.open(block, storeId, keks);
        } catch (StoreKeyException | KeyRefusedException e) {
            throw new StoreIntegrityException("the store failed its integrity check: " + e.getMessage(), e);
        }
        boolean ok = false;
        try {
            Mac mac = key.fileMac();
            ContainerInput.updateHeader(mac, version, storeId, generation, blockDer, branchDer);
            int count = input.count(mac);
            List<String> aliases = new ArrayList<>(Math.min(count, 1 << 16));
            List<byte[]> blobs = new ArrayList<>(Math.min(count, 1 << 16));
            byte[] tag = new byte[StoreFormat.TAG_LENGTH];
            for (int i = 0; i < count; i++) {
                byte[] aliasBytes = input.alias();
                byte[] cms = input.blob(StoreFormat.MAX_ENTRY, "entry " + i);
                input.fully(tag, "entry tag");
                String alias = new String(aliasBytes, StandardCharsets.UTF_8);
                if (!MessageDigest.isEqual(tag, key.entryTag(alias, cms))) {
                    throw new StoreIntegrityException("the store failed its integrity check: " + Messages.alias(alias)
                            + "the entry fails its entry tag (it was planted, altered, or moved from another alias or "
                            + "store)");
                }
                ContainerInput.updateShort(mac, aliasBytes.length);
                mac.update(aliasBytes);
                ContainerInput.updateInt(mac, cms.length);
                mac.update(tag);
                aliases.add(alias);
                blobs.add(cms);
            }
            input.fully(tag, "integrity tag");
            if (!MessageDigest.isEqual(tag, mac.doFinal())) {
                throw new StoreIntegrityException("the store failed its integrity check: entries were added, removed, "
                        + "reordered or altered, or the header was edited");
            }
            input.requireEnd();
            if (generation < minGeneration) {
                throw new StoreRollbackException(generation, minGeneration);
            }
            List<EntryRecord> entries = ContainerInput.parseEntries(aliases, blobs, storeId);
            for (EntryRecord r : entries) {
                if (r.sealed.binding().keyEpoch() > block.epoch()) {
                    throw new StoreIntegrityException(Messages.alias(r.alias) + "the entry claims a key epoch newer "
                            + "than the store's");
                }
            }
            ok = true;
            return new StoreImage(version, storeId, generation, key, block, branchBlocks, entries, tag);
        } finally {
            if (!ok) {
                key.destroy();
            }
        }
    }

    /**
     * Format 3's branch key blocks: {@code u16 n} (at most {@link StoreFormat#MAX_BRANCH_KEYS}), then n times
     * {@code u32 length, DER}, in strictly ascending versions from 1. Decoded only: each is opened (and its anchor
     * checked) when an entry first needs it; the file MAC, checked before any entry is parsed, covers them.
     */
    private static List<StoreKeyBlock> readBranchKeyBlocks(ContainerInput input, List<byte[]> ders)
            throws IOException {
        int n = input.data.readUnsignedShort();
        if (n > StoreFormat.MAX_BRANCH_KEYS) {
            throw new StoreIntegrityException("the store header is corrupt: " + n + " branch key blocks (at most "
                    + StoreFormat.MAX_BRANCH_KEYS + ")");
        }
        List<StoreKeyBlock> blocks = new ArrayList<>(n);
        long last = 0;
        for (int i = 0; i < n; i++) {
            byte[] der = input.blob(StoreFormat.MAX_HEADER_BLOB, "branch key block " + i);
            StoreKeyBlock b;
            try {
                b = StoreKeyBlock.decode(der);
            } catch (EnvelopeException e) {
                throw new StoreIntegrityException("the store header is corrupt: branch key block " + i + ": "
                        + e.getMessage(), e);
            }
            if (b.epoch() <= last) {
                throw new StoreIntegrityException("the store header is corrupt: branch key versions are not in "
                        + "ascending order from 1");
            }
            last = b.epoch();
            ders.add(der);
            blocks.add(b);
        }
        return java.util.Collections.unmodifiableList(blocks);
    }
}
