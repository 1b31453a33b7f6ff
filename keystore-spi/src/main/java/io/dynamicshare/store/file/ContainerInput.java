package io.dynamicshare.store.file;

import io.dynamicshare.store.Messages;
import io.dynamicshare.store.EntryRecord;
import io.dynamicshare.store.StoreIntegrityException;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.EnvelopeException;
import io.dynamicshare.envelope.SealedEntry;

import javax.crypto.Mac;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bounded reads of the container's fields (every one fed to a MAC by the caller), shared by the format-1 and
 * format-2 readers. A cut-off or impossible field is a {@link StoreIntegrityException}.
 */
final class ContainerInput {
    final DataInputStream data;

    ContainerInput(InputStream in) {
        this.data = new DataInputStream(in);
    }

    byte[] blob(int max, String what) throws IOException {
        int n = data.readInt();
        if (n < 0 || n > max) {
            throw new StoreIntegrityException("the store is corrupt: " + what + " has an impossible length " + n);
        }
        byte[] b = new byte[n];
        fully(b, what);
        return b;
    }

    byte[] alias() throws IOException {
        int n = data.readUnsignedShort();
        if (n == 0 || n > StoreFormat.MAX_ALIAS_BYTES) {
            throw new StoreIntegrityException("the store is corrupt: an alias has an impossible length " + n);
        }
        byte[] b = new byte[n];
        fully(b, "alias");
        return b;
    }

    /** The entry count, fed to {@code mac}. */
    int count(Mac mac) throws IOException {
        int count = data.readInt();
        updateInt(mac, count);
        if (count < 0) {
            throw new StoreIntegrityException("the store header is corrupt (entry count)");
        }
        return count;
    }

    void fully(byte[] b, String what) throws IOException {
        try {
            data.readFully(b);
        } catch (EOFException e) {
            throw new StoreIntegrityException("the store is truncated (in the " + what + ")", e);
        }
    }

    void requireEnd() throws IOException {
        if (data.read() != -1) {
            throw new StoreIntegrityException("the store failed its integrity check: data follows the integrity tag");
        }
    }

    /**
     * The header as the file MAC takes it (docs/FORMAT.md, "What the file MAC covers"), up to the entry count: the one
     * definition both the verifying reader and the recovery reader use.
     */
    static void updateHeader(Mac mac, int version, byte[] storeId, long generation, byte[] blockDer,
                             List<byte[]> branchDer) {
        mac.update(StoreFormat.MAGIC);
        updateShort(mac, version);
        mac.update(storeId);
        updateLong(mac, generation);
        updateInt(mac, blockDer.length);
        mac.update(blockDer);
        if (version == StoreFormat.VERSION_3) {
            updateShort(mac, branchDer.size());
            for (byte[] der : branchDer) {
                updateInt(mac, der.length);
                mac.update(der);
            }
        }
    }

    static void updateShort(Mac mac, int v) {
        mac.update((byte) (v >>> 8));
        mac.update((byte) v);
    }

    static void updateInt(Mac mac, int v) {
        mac.update((byte) (v >>> 24));
        mac.update((byte) (v >>> 16));
        mac.update((byte) (v >>> 8));
        mac.update((byte) v);
    }

    static void updateLong(Mac mac, long v) {
        updateInt(mac, (int) (v >>> 32));
        updateInt(mac, (int) v);
    }

    /**
     * Parses the entries of a file whose integrity was already verified, and checks that each is bound to its
     * alias and to this store.
     */
    static List<EntryRecord> parseEntries(List<String> aliases, List<byte[]> blobs, byte[] storeId)
            throws StoreIntegrityException {
        List<EntryRecord> entries = new ArrayList<>(aliases.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < aliases.size(); i++) {
            String alias = aliases.get(i);
            if (!seen.add(alias)) {
                throw new StoreIntegrityException(Messages.alias(alias) + "appears twice in the store");
            }
            entries.add(EntryRecord.parse(alias, blobs.get(i), storeId, i));
            blobs.set(i, null);
        }
        return entries;
    }
}
