package io.dynamicshare.envelope;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;

import java.io.IOException;

/**
 * The DER pieces this package reads and writes by hand, on the hot paths ({@link DerReader} for parsing an
 * entry at load, {@link BindingCodec#encode} for the AAD of every write): tags, fixed encodings taken from
 * BouncyCastle once, and one element writer.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int UTF8_STRING = 0x0c;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    /** {@code [0] IMPLICIT}, primitive: AuthEnvelopedData's encryptedContent. */
    static final int CONTEXT_0 = 0x80;
    /** {@code [0]}, constructed: ContentInfo's content, AuthEnvelopedData's originatorInfo. */
    static final int CONTEXT_0_CONSTRUCTED = 0xa0;
    /** {@code [1] IMPLICIT}, constructed: AuthEnvelopedData's authAttrs. */
    static final int CONTEXT_1_CONSTRUCTED = 0xa1;

    private Der() {
    }

    /** BouncyCastle's DER of a fixed value (an OID, a constant), taken once at class initialisation. */
    static byte[] encoded(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding to memory failed", e);
        }
    }

    /** One DER element: tag, definite length in its shortest form, then the parts. */
    static byte[] element(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        int lengthBytes = length < 0x80 ? 0 : length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
        byte[] out = new byte[2 + lengthBytes + length];
        out[0] = (byte) tag;
        out[1] = (byte) (lengthBytes == 0 ? length : 0x80 | lengthBytes);
        for (int i = 0; i < lengthBytes; i++) {
            out[2 + i] = (byte) (length >>> (8 * (lengthBytes - 1 - i)));
        }
        int pos = 2 + lengthBytes;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, pos, p.length);
            pos += p.length;
        }
        return out;
    }
}
