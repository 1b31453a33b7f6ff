package io.dynamicshare.store;

import java.nio.charset.StandardCharsets;
import java.security.KeyStoreException;

/**
 * The limits {@code setEntry} enforces, so that whatever a store writes, a load reads back identically: every
 * bound here is inside what the reader accepts (docs/FORMAT.md: aliases of at most 4,096 bytes, entries of at
 * most 64 MiB).
 *
 * <ul>
 *   <li>An alias is 1 to {@value #MAX_ALIAS_BYTES} bytes of UTF-8, of well-formed UTF-16 (no unpaired
 *       surrogate, which UTF-8 cannot carry), with no control character (C0, DEL, C1) and no line or paragraph
 *       separator (U+2028, U+2029): an alias is an address or a name, and it appears in logs.</li>
 *   <li>The shares are at most {@value #MAX_SHARES_BYTES} bytes (4 MiB; a 3-party ECDSA share set is about
 *       25 KB), the walletMetadata at most {@value #MAX_METADATA_BYTES} bytes (256 KiB).</li>
 * </ul>
 *
 * <pre>{@code
 * EntryLimits.checkAlias("0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A");   // passes
 * EntryLimits.checkAlias("x\uD800");                                       // KeyStoreException
 * }</pre>
 */
public final class EntryLimits {
    /** Longest alias, in UTF-8 bytes. */
    public static final int MAX_ALIAS_BYTES = 256;
    /** Largest externalServerKeyShares JSON, in bytes. */
    public static final int MAX_SHARES_BYTES = 4 << 20;
    /** Largest walletMetadata JSON, in bytes. */
    public static final int MAX_METADATA_BYTES = 256 << 10;

    private EntryLimits() {
    }

    /**
     * @throws KeyStoreException naming the alias (escaped) and what is wrong with it
     */
    public static void checkAlias(String alias) throws KeyStoreException {
        if (alias.isEmpty()) {
            throw new KeyStoreException("alias must not be empty");
        }
        for (int i = 0; i < alias.length(); i++) {
            char c = alias.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < alias.length() && Character.isLowSurrogate(alias.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw refused(alias, "has an unpaired surrogate at index " + i + " (not valid Unicode text)");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw refused(alias, "has a control character (U+" + String.format("%04X", (int) c) + ") at index " + i);
            }
        }
        int bytes = alias.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_ALIAS_BYTES) {
            throw refused(alias, "is " + bytes + " bytes of UTF-8; the limit is " + MAX_ALIAS_BYTES);
        }
    }

    static void checkSizes(String alias, int sharesBytes, int metadataBytes) throws KeyStoreException {
        if (sharesBytes > MAX_SHARES_BYTES) {
            throw new KeyStoreException(Messages.alias(alias) + "externalServerKeyShares are " + sharesBytes
                    + " bytes; the limit is " + MAX_SHARES_BYTES);
        }
        if (metadataBytes > MAX_METADATA_BYTES) {
            throw new KeyStoreException(Messages.alias(alias) + "walletMetadata is " + metadataBytes
                    + " bytes; the limit is " + MAX_METADATA_BYTES);
        }
    }

    private static KeyStoreException refused(String alias, String why) {
        return new KeyStoreException(Messages.alias(alias) + "the alias " + why);
    }
}
