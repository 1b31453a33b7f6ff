package io.dynamicshare.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a test can see in a store file without the store's keys, by looking for the standard CMS (DER) shapes
 * every entry carries (docs/FORMAT.md): the wrapped data keys and the start of each ciphertext. Enough to tell
 * whether an entry was re-sealed (new ciphertext) under a new data key, with no parser of the container.
 */
final class StoreBytes {
    /**
     * What precedes an AES key wrap (RFC 3394) of a 32-byte data key in a KEKRecipientInfo, after the KEK id:
     * {@code keyEncryptionAlgorithm} id-aes256-wrap (2.16.840.1.101.3.4.1.45, no parameters), then
     * {@code encryptedKey} OCTET STRING of 40 bytes. The store key (64 bytes wrapped) has length 72 instead.
     */
    private static final byte[] AES_KW_DATA_KEY = HexFormat.of().parseHex("300b060960864801650304012d0428");
    private static final int WRAPPED_DATA_KEY_LENGTH = 40;
    /** The first bytes of a ciphertext compared: 32 random-looking bytes never repeat by chance. */
    private static final int CIPHERTEXT_PREFIX = 32;

    private StoreBytes() {
    }

    static byte[] read(Path store) {
        try {
            return Files.readAllBytes(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every data key the file holds wrapped by {@code kekVersion} (an AES development KEK), as hex. AES key wrap
     * is deterministic, so under the same KEK version the same data key always wraps to the same bytes: a
     * different wrapped value means a different data key.
     */
    static List<String> wrappedDataKeys(byte[] file, String kekVersion) {
        byte[] id = kekVersion.getBytes(StandardCharsets.US_ASCII);
        byte[] pattern = concat(new byte[] {0x04, (byte) id.length}, id, AES_KW_DATA_KEY);
        List<String> keys = new ArrayList<>();
        for (int at : indexesOf(file, pattern)) {
            int from = at + pattern.length;
            keys.add(HexFormat.of().formatHex(Arrays.copyOfRange(file, from, from + WRAPPED_DATA_KEY_LENGTH)));
        }
        return keys;
    }

    /**
     * The first bytes of the one entry ciphertext of {@code plaintextLength} bytes: the AuthEnvelopedData's
     * {@code encryptedContent} is a primitive {@code [0]} (tag 0x80) as long as the plaintext (the GCM tag is
     * apart), followed by the authenticated attributes {@code [1]} (0xA1).
     */
    static String ciphertextPrefix(byte[] file, int plaintextLength) {
        byte[] header = concat(new byte[] {(byte) 0x80}, derLength(plaintextLength));
        List<Integer> found = new ArrayList<>();
        for (int at : indexesOf(file, header)) {
            int end = at + header.length + plaintextLength;
            if (end < file.length && file[end] == (byte) 0xA1) {
                found.add(at + header.length);
            }
        }
        assertEquals(1, found.size(), "ciphertexts of " + plaintextLength + " bytes found at " + found);
        int from = found.get(0);
        return HexFormat.of().formatHex(Arrays.copyOfRange(file, from, from + CIPHERTEXT_PREFIX));
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        for (int n = length; n > 0; n >>>= 8) {
            digits.write(n & 0xFF);
        }
        byte[] le = digits.toByteArray();
        byte[] out = new byte[le.length + 1];
        out[0] = (byte) (0x80 | le.length);
        for (int i = 0; i < le.length; i++) {
            out[i + 1] = le[le.length - 1 - i];
        }
        return out;
    }

    private static List<Integer> indexesOf(byte[] haystack, byte[] needle) {
        List<Integer> at = new ArrayList<>();
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            at.add(i);
        }
        return at;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
