package io.dynamicshare.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The quickstart's tampering demonstration: copies a store and flips one bit inside an entry's
 * ciphertext, the change an attacker with write access to the file could make.
 */
final class Tamper {
    private Tamper() {
    }

    /**
     * Writes {@code copy} as {@code store} with one bit flipped in the middle of its largest entry (whose
     * bytes are almost all ciphertext), or in the middle of the file if the layout is not the expected one.
     *
     * @return the offset of the flipped byte
     */
    static long flipOneBit(Path store, Path copy) throws IOException {
        byte[] file = Files.readAllBytes(store);
        int offset = middleOfLargestEntry(file);
        if (offset < 0) {
            offset = file.length / 2;
        }
        file[offset] ^= 0x01;
        Path tmp = Files.createTempFile(copy.toAbsolutePath().getParent(), ".tamper", ".tmp");
        try {
            Files.write(tmp, file);
            Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return offset;
    }

    /**
     * Walks the container (docs/FORMAT.md: magic, u16 version, 16-byte store id, in format 2 a u64 generation,
     * a u32-length key block, u32 count, then per entry a u16-length alias, a u32-length CMS blob and, in format
     * 2, a 32-byte entry tag) to the largest CMS blob. This only picks where to flip; a wrong guess still flips
     * a byte the integrity check covers.
     */
    private static int middleOfLargestEntry(byte[] file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(file);
            b.position(8);
            int version = b.getShort() & 0xffff;
            int entryTag = version >= 2 ? 32 : 0;
            b.position(8 + 2 + 16 + (version >= 2 ? 8 : 0));
            b.position(b.position() + 4 + b.getInt());
            int count = b.getInt();
            int best = -1;
            int bestLength = 0;
            for (int i = 0; i < count; i++) {
                b.position(b.position() + 2 + (b.getShort() & 0xffff));
                int length = b.getInt();
                if (length > bestLength) {
                    bestLength = length;
                    best = b.position() + length / 2;
                }
                b.position(b.position() + length + entryTag);
            }
            return best;
        } catch (RuntimeException e) { // a layout this code does not know
            return -1;
        }
    }
}
