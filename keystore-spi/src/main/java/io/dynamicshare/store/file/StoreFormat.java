package io.dynamicshare.store.file;

import java.util.Arrays;

/**
 * Constants of the store container (docs/FORMAT.md has the full layout). Format 2, written:
 * <pre>
 * magic "\x89DSKS\r\n\x1a" | u16 2 | storeId[16] | u64 generation | u32 n, store key block (DER)
 * | u32 count | count x (u16 n, alias UTF-8 | u32 n, CMS ContentInfo DER | entry tag[32])
 * | file MAC[32]: HMAC-SHA256 over everything before it except the entries' DER
 * </pre>
 * Format 1 (read only): {@code magic | u16 1 | storeId[16] | u32 n, SET OF RecipientInfo (MAC key) | u32 count
 * | count x (u16 n, alias | u32 n, entry) | HMAC-SHA256[32] over all before it}.
 */
final class StoreFormat {
    /** PNG-style magic: a high byte and CR/LF catch 7-bit and text-mode transfers that would corrupt the file. */
    static final byte[] MAGIC = {(byte) 0x89, 'D', 'S', 'K', 'S', '\r', '\n', 0x1a};
    /** The container format this code writes. */
    static final int VERSION = 2;
    /** The first format: still read, with a warning, never written. */
    static final int VERSION_1 = 1;
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
