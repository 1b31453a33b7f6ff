package io.dynamicshare.envelope;

import java.util.Arrays;

/**
 * A cursor over DER elements (definite lengths only) that hands out positions instead of objects. Used by
 * {@link CmsEnvelope#parse} to find an entry's parts in place, so the encrypted content is copied once, straight
 * into the array the cipher reads, and only the small parts go through BouncyCastle.
 */
final class DerReader {
    private final byte[] der;
    private final int end;
    private int pos;
    /** The element last read: where its tag byte and its contents start ({@link #pos} is just past it). */
    private int elementStart;
    private int contentStart;

    DerReader(byte[] der, int from, int to) {
        this.der = der;
        this.pos = from;
        this.end = to;
    }

    /** The tag of the next element, or -1 at the end. */
    int peekTag() {
        return pos < end ? der[pos] & 0xff : -1;
    }

    /** Reads the next element, which must have {@code tag}, and returns its length; see the bounds accessors. */
    int next(int tag, String what) throws EnvelopeException {
        if (peekTag() != tag) {
            throw new EnvelopeException(what + " is missing or has the wrong type (tag " + (pos < end ? peekTag() : "none")
                    + ", expected " + tag + ")");
        }
        elementStart = pos;
        int i = pos + 1;
        if (i >= end) {
            throw new EnvelopeException(what + " is truncated");
        }
        int first = der[i++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4) {
                throw new EnvelopeException(what + " is not DER (indefinite or oversized length)");
            }
            if (i + n > end) {
                throw new EnvelopeException(what + " is truncated");
            }
            length = 0;
            for (int k = 0; k < n; k++) {
                length = (length << 8) | (der[i++] & 0xff);
            }
            if (length < 0x80 || length < (1L << (8 * (n - 1)))) {
                throw new EnvelopeException(what + " is not DER (length not in its shortest form)");
            }
        }
        if (length > end - i) {
            throw new EnvelopeException(what + " is truncated");
        }
        contentStart = i;
        pos = i + (int) length;
        return (int) length;
    }

    /** Reads the next element and returns a reader over its contents. */
    DerReader enter(int tag, String what) throws EnvelopeException {
        next(tag, what);
        return new DerReader(der, contentStart, pos);
    }

    /** Reads the next element and returns a copy of it, tag and length included. */
    byte[] element(int tag, String what) throws EnvelopeException {
        next(tag, what);
        return Arrays.copyOfRange(der, elementStart, pos);
    }

    /** Reads the next element and returns a copy of its contents. */
    byte[] contents(int tag, String what) throws EnvelopeException {
        next(tag, what);
        return Arrays.copyOfRange(der, contentStart, pos);
    }

    /** Where the contents of the element last read start in the array. */
    int contentStart() {
        return contentStart;
    }

    void requireEnd(String what) throws EnvelopeException {
        if (pos != end) {
            throw new EnvelopeException(what + " has unexpected content after its last element");
        }
    }
}
