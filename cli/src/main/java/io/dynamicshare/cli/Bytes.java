package io.dynamicshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Reading inputs that may hold key shares, and fingerprinting them. Every buffer that held input is
 * zeroed before it is dropped, so no stale copy of a share lingers on the heap (a ByteArrayOutputStream
 * would leave one behind each time it grows).
 */
final class Bytes {
    private Bytes() {
    }

    /** Reads a whole input file; a missing or unreadable file is a usage error. */
    static byte[] readFile(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + what + ": no such file " + file);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + what + " " + file + ": " + e);
        }
    }

    /** Reads a stream to its end (Java 8 has no readAllBytes), zeroing every discarded buffer. */
    static byte[] readAll(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int n = 0;
        try {
            int r;
            while ((r = in.read(buf, n, buf.length - n)) >= 0) {
                n += r;
                if (n == buf.length) {
                    byte[] bigger = Arrays.copyOf(buf, buf.length * 2);
                    Arrays.fill(buf, (byte) 0);
                    buf = bigger;
                }
            }
            return Arrays.copyOf(buf, n);
        } finally {
            Arrays.fill(buf, (byte) 0);
        }
    }

    /** Reads a bundled resource, or fails if the jar lacks it. */
    static byte[] resource(String name) throws IOException {
        InputStream in = Bytes.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is missing from the dynamicshare jar");
        }
        try {
            return readAll(in);
        } finally {
            in.close();
        }
    }

    /** Lowercase hex SHA-256: lets an operator compare shares without ever seeing them. */
    static String sha256(byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(data);
            StringBuilder sb = new StringBuilder(d.length * 2);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE", e);
        }
    }

    static void zero(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }
}
