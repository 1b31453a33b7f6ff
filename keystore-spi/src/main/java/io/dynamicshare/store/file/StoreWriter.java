package io.dynamicshare.store.file;

import io.dynamicshare.store.EntryRecord;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.storekey.StoreKey;
import io.dynamicshare.storekey.StoreKeyBlock;

import javax.crypto.Mac;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes container format 2: every entry with its entry tag, and the file MAC over the rest. */
final class StoreWriter {
    private StoreWriter() {
    }

    /** @return the file MAC: the file's last 32 bytes, which {@link StoreFileLock} compares */
    static byte[] write(byte[] storeId, long generation, StoreKey key, StoreKeyBlock block, List<EntryRecord> entries,
                        OutputStream out) throws IOException {
        Mac mac = key.fileMac();
        DataOutputStream data = new DataOutputStream(out);
        byte[] blockDer = block.encode();
        byte[] header = header(storeId, generation, blockDer, entries.size());
        mac.update(header);
        data.write(header);
        for (EntryRecord r : entries) {
            byte[] alias = r.alias.getBytes(StandardCharsets.UTF_8);
            byte[] cms = CmsEnvelope.encode(r.sealed);
            byte[] tag = key.entryTag(r.alias, cms);
            ContainerInput.updateShort(mac, alias.length);
            mac.update(alias);
            ContainerInput.updateInt(mac, cms.length);
            mac.update(tag);
            data.writeShort(alias.length);
            data.write(alias);
            data.writeInt(cms.length);
            data.write(cms);
            data.write(tag);
        }
        byte[] fileMac = mac.doFinal();
        data.write(fileMac);
        data.flush();
        return fileMac;
    }

    private static byte[] header(byte[] storeId, long generation, byte[] blockDer, int count) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(64 + blockDer.length);
        DataOutputStream d = new DataOutputStream(b);
        d.write(StoreFormat.MAGIC);
        d.writeShort(StoreFormat.VERSION);
        d.write(storeId);
        d.writeLong(generation);
        d.writeInt(blockDer.length);
        d.write(blockDer);
        d.writeInt(count);
        return b.toByteArray();
    }
}
