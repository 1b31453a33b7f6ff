package io.dynamicshare.store.file;

import io.dynamicshare.store.StoreIntegrityException;

import io.dynamicshare.storekey.StoreKey;

import javax.crypto.Mac;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A format-2 or format-3 store file read for recovery, when its store key may be gone: the container's fields within their
 * bounds (docs/FORMAT.md "Container"), <em>nothing authenticated</em>. Anyone who can write the file (A1,
 * docs/SECURITY.md) chooses every byte of it. Whoever still holds the store key checks each entry's tag
 * ({@link #tagMatches}) and the file MAC ({@link #fileMacMatches}), the same inputs {@code load} checks; without
 * it, nothing here says who wrote an entry.
 *
 * <pre>{@code
 * UnverifiedStoreFile f = UnverifiedStoreFile.read(in);
 * StoreKey k = StoreKeyAnchor.open(StoreKeyBlock.decode(f.storeKeyBlock()), f.storeId(), keks);  // may fail
 * boolean genuine = f.tagMatches(k, 0) && f.fileMacMatches(k);
 * }</pre>
 */
public final class UnverifiedStoreFile {
    private final int version;
    private final byte[] storeId;
    private final long generation;
    private final byte[] storeKeyBlock;
    /** Format 3's branch key blocks (DER), kept for the file MAC only: recovery never needs a branch key. */
    private final List<byte[]> branchKeyBlocks;
    private final List<String> aliases;
    private final List<byte[]> entries;
    private final List<byte[]> tags;
    private final byte[] fileMac;

    private UnverifiedStoreFile(int version, byte[] storeId, long generation, byte[] storeKeyBlock,
                                List<byte[]> branchKeyBlocks, List<String> aliases, List<byte[]> entries,
                                List<byte[]> tags, byte[] fileMac) {
        this.version = version;
        this.branchKeyBlocks = branchKeyBlocks;
        this.storeId = storeId;
        this.generation = generation;
        this.storeKeyBlock = storeKeyBlock;
        this.aliases = Collections.unmodifiableList(aliases);
        this.entries = entries;
        this.tags = tags;
        this.fileMac = fileMac;
    }

    /**
     * @throws StoreIntegrityException if the file is not a format-2 or format-3 container within its bounds
     *                                 (truncated, trailing bytes, an impossible length); format 1 is refused (it never
     *                                 carried escrow)
     */
    public static UnverifiedStoreFile read(InputStream in) throws IOException {
        ContainerInput input = new ContainerInput(in);
        try {
            byte[] magic = new byte[StoreFormat.MAGIC.length];
            input.fully(magic, "magic");
            if (!StoreFormat.startsWithMagic(magic, magic.length)) {
                throw new StoreIntegrityException("not a DynamicShareKeyStore file (bad magic)");
            }
            int version = input.data.readUnsignedShort();
            if (version != StoreFormat.VERSION && version != StoreFormat.VERSION_3) {
                throw new StoreIntegrityException("store format version " + version + ": only format "
                        + StoreFormat.VERSION + " and " + StoreFormat.VERSION_3 + " files can be recovered");
            }
            byte[] storeId = new byte[StoreFormat.STORE_ID_LENGTH];
            input.fully(storeId, "store id");
            long generation = input.data.readLong();
            byte[] block = input.blob(StoreFormat.MAX_HEADER_BLOB, "store key block");
            List<byte[]> branch = new ArrayList<>();
            if (version == StoreFormat.VERSION_3) {
                int n = input.data.readUnsignedShort();
                if (n > StoreFormat.MAX_BRANCH_KEYS) {
                    throw new StoreIntegrityException("the store header is corrupt: " + n + " branch key blocks");
                }
                for (int i = 0; i < n; i++) {
                    branch.add(input.blob(StoreFormat.MAX_HEADER_BLOB, "branch key block " + i));
                }
            }
            int count = input.data.readInt();
            if (count < 0) {
                throw new StoreIntegrityException("the store header is corrupt (entry count)");
            }
            List<String> aliases = new ArrayList<>();
            List<byte[]> entries = new ArrayList<>();
            List<byte[]> tags = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                aliases.add(new String(input.alias(), StandardCharsets.UTF_8));
                entries.add(input.blob(StoreFormat.MAX_ENTRY, "entry " + i));
                byte[] tag = new byte[StoreFormat.TAG_LENGTH];
                input.fully(tag, "entry tag");
                tags.add(tag);
            }
            byte[] mac = new byte[StoreFormat.TAG_LENGTH];
            input.fully(mac, "integrity tag");
            input.requireEnd();
            return new UnverifiedStoreFile(version, storeId, generation, block, branch, aliases, entries, tags, mac);
        } catch (EOFException e) {
            throw new StoreIntegrityException("the store is truncated", e);
        }
    }

    /** The header's store id (16 bytes, a copy): unauthenticated until {@link #fileMacMatches}. */
    public byte[] storeId() {
        return storeId.clone();
    }

    /** The header's generation: unauthenticated until {@link #fileMacMatches}. */
    public long generation() {
        return generation;
    }

    /** The store key block's DER (a copy). */
    public byte[] storeKeyBlock() {
        return storeKeyBlock.clone();
    }

    /** The aliases in file order; may repeat in a file nobody authenticated. */
    public List<String> aliases() {
        return aliases;
    }

    /** Entry {@code i}'s CMS DER (a copy). */
    public byte[] entry(int i) {
        return entries.get(i).clone();
    }

    /** True when entry {@code i}'s tag is {@code key}'s tag of its alias and bytes: the store key holder wrote it. */
    public boolean tagMatches(StoreKey key, int i) {
        return MessageDigest.isEqual(tags.get(i), key.entryTag(aliases.get(i), entries.get(i)));
    }

    /**
     * True when the file MAC verifies under {@code key} (over the header, and every alias, entry length and tag, as
     * {@code load} computes it): nothing was added, removed, reordered or edited in the header.
     */
    public boolean fileMacMatches(StoreKey key) {
        Mac mac = key.fileMac();
        ContainerInput.updateHeader(mac, version, storeId, generation, storeKeyBlock, branchKeyBlocks);
        ContainerInput.updateInt(mac, aliases.size());
        for (int i = 0; i < aliases.size(); i++) {
            byte[] a = aliases.get(i).getBytes(StandardCharsets.UTF_8);
            ContainerInput.updateShort(mac, a.length);
            mac.update(a);
            ContainerInput.updateInt(mac, entries.get(i).length);
            mac.update(tags.get(i));
        }
        return MessageDigest.isEqual(fileMac, mac.doFinal());
    }
}
