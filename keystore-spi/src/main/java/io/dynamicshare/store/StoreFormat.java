package io.dynamicshare.store;

import java.util.Arrays;

/**
 * Constants of the store container, format version 1 (docs/FORMAT.md has the full layout):
 * <pre>
 * magic "\x89DSKS\r\n\x1a" | u16 version | storeId[16] | u32 n, DER SET OF RecipientInfo (store MAC key)
 * | u32 count | count x (u16 n, alias UTF-8 | u32 n, CMS ContentInfo DER) | HMAC-SHA256[32] over all before it
 * </pre>
 */
final class StoreFormat {
    /** PNG-style magic: a high byte and CR/LF catch 7-bit and text-mode transfers that would corrupt the file. */
    static final byte[] MAGIC = {(byte) 0x89, 'D', 'S', 'K', 'S', '\r', '\n', 0x1a};
    static final int VERSION = 1;
    static final int STORE_ID_LENGTH = 16;
    static final int TAG_LENGTH = 32;
    static final String MAC_ALGORITHM = "HmacSHA256";
    /** Bounds that stop a corrupt length field from allocating gigabytes before the MAC can reject it. */
    static final int MAX_HEADER_BLOB = 1 << 20;
    static final int MAX_ENTRY = 64 << 20;
    static final int MAX_ALIAS_BYTES = 4096;

    private StoreFormat() {
    }

    static boolean startsWithMagic(byte[] head, int length) {
        return length >= MAGIC.length && Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC);
    }
}
