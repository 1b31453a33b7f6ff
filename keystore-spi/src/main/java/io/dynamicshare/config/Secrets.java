package io.dynamicshare.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a secret from a file or an environment variable, never from a system property (those show up in
 * process listings, thread dumps and crash reports).
 */
public final class Secrets {
    private Secrets() {
    }

    /**
     * @param file   a file holding the secret (trailing newline dropped), or null
     * @param envVar an environment variable holding it, tried when {@code file} is null
     * @param what   what the secret is, for the error message
     */
    public static char[] read(Path file, String envVar, String what) throws ConfigException {
        if (file != null) {
            byte[] bytes = null;
            try {
                bytes = Files.readAllBytes(file);
                int end = bytes.length;
                while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                    end--;
                }
                CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
                char[] out = Arrays.copyOf(cb.array(), cb.limit());
                Arrays.fill(cb.array(), '\0');
                return out;
            } catch (IOException e) {
                throw new ConfigException("cannot read " + what + " from " + file + ": " + e.getClass().getSimpleName());
            } finally {
                if (bytes != null) {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
        }
        String v = envVar == null ? null : System.getenv(envVar);
        if (v == null || v.isEmpty()) {
            throw new ConfigException(what + " is not set: put it in the environment variable " + envVar
                    + " or name a file holding it in the configuration");
        }
        return v.toCharArray();
    }
}
