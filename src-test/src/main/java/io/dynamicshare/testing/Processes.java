package io.dynamicshare.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real process (a forked JVM, keytool) and returns what it printed, with its exit code. */
public final class Processes {
    /** A finished process: its exit code and its merged stdout and stderr. */
    public record Result(int exitCode, String output) {
    }

    private Processes() {
    }

    /** Runs {@code command}, killing it after {@code timeoutSeconds}. */
    public static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command + "\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** The binary {@code name} ({@code java}, {@code keytool}) of the JDK running this code. */
    public static String jdkTool(String name) {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", name).toString();
    }
}
