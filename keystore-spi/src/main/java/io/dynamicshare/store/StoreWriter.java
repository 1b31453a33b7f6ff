package io.dynamicshare.store;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.RecipientInfoCodec;
import org.bouncycastle.asn1.ASN1Encoding;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/** Writes a {@link StoreImage} in container format 1, MACing every byte it writes. */
final class StoreWriter {
    private StoreWriter() {
    }

    static void write(StoreImage image, OutputStream out) throws IOException, GeneralSecurityException {
        Mac mac = newMac(image.macKey);
        DataOutputStream data = new DataOutputStream(new MacOutputStream(out, mac));
        data.write(StoreFormat.MAGIC);
        data.writeShort(StoreFormat.VERSION);
        data.write(image.storeId);
        byte[] macKeys = RecipientInfoCodec.encodeAll(image.macKeyWrapped).getEncoded(ASN1Encoding.DER);
        data.writeInt(macKeys.length);
        data.write(macKeys);
        data.writeInt(image.entries.size());
        for (EntryRecord r : image.entries) {
            byte[] alias = r.alias.getBytes(StandardCharsets.UTF_8);
            data.writeShort(alias.length);
            data.write(alias);
            byte[] cms = CmsEnvelope.encode(r.sealed);
            data.writeInt(cms.length);
            data.write(cms);
        }
        data.flush();
        out.write(mac.doFinal());
        out.flush();
    }

    static Mac newMac(DataKey macKey) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(StoreFormat.MAC_ALGORITHM);
        byte[] k = macKey.getEncoded();
        try {
            mac.init(new SecretKeySpec(k, StoreFormat.MAC_ALGORITHM));
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
        return mac;
    }

    /** Feeds every written byte to the MAC. */
    private static final class MacOutputStream extends java.io.FilterOutputStream {
        private final Mac mac;

        MacOutputStream(OutputStream out, Mac mac) {
            super(out);
            this.mac = mac;
        }

        @Override
        public void write(int b) throws IOException {
            mac.update((byte) b);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            mac.update(b, off, len);
            out.write(b, off, len);
        }
    }
}
