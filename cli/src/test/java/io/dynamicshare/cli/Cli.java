package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the shaded {@code dynamicshare.jar} as a separate process with the same {@code java} that runs the
 * tests, in a working directory of the test's choosing, with real files and real exit codes.
 */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 60;

    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private byte[] stdin = new byte[0];

    private Cli(Path workDir) {
        this.workDir = workDir;
    }

    static Cli in(Path workDir) {
        return new Cli(workDir);
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli stdin(byte[] bytes) {
        stdin = bytes;
        return this;
    }

    /** What one run printed and returned. */
    record Result(int exit, String out, String err, List<String> args) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout of " + args + " is not JSON: " + out, e);
            }
        }

        /** Asserts the exit code, showing everything printed when it is wrong. */
        Result expect(int code) {
            assertEquals(code, exit, () -> "exit code of " + args + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err);
            return this;
        }

        /** Asserts a failure's single {@code error:} line contains {@code text}. */
        Result expectError(int code, String text) {
            expect(code);
            List<String> errors = errorLines();
            assertEquals(1, errors.size(), () -> "one error line expected in:\n" + err);
            assertTrue(errors.get(0).contains(text), () -> "'" + text + "' expected in: " + errors.get(0));
            assertTrue(!err.contains("\tat ") && !err.contains("Exception in thread"), () -> "stack trace in:\n" + err);
            return this;
        }

        List<String> errorLines() {
            return err.lines().filter(l -> l.startsWith("error: ")).toList();
        }

        String all() {
            return out + err;
        }
    }

    Result run(String... args) {
        return run(Arrays.asList(args));
    }

    Result run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", jar().toString()));
        command.addAll(args);
        return execute(new ProcessBuilder(command), args, false);
    }

    /**
     * Runs the command on a real pseudo-terminal: util-linux {@code script -qec CMD /dev/null} gives the jar a
     * pty as stdin, stdout and stderr (so {@code System.console()} is not null), and copies what the terminal
     * showed, stdout and stderr interleaved, to its own stdout: that is {@link Result#out()}. Its exit code is
     * the command's ({@code -e}).
     */
    Result runInTerminal(List<String> args) {
        Path script = Paths.get("/usr/bin/script");
        assertTrue(Files.isExecutable(script), "util-linux 'script' is needed to run a command on a pseudo-terminal: "
                + script + " is missing");
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-jar", jar().toString()));
        command.addAll(args);
        String line = String.join(" ", command.stream().map(Cli::shellQuote).toList());
        return execute(new ProcessBuilder(script.toString(), "-qec", line, "/dev/null"), args, true);
    }

    private Result execute(ProcessBuilder pb, List<String> args, boolean onTerminal) {
        pb.directory(workDir.toFile());
        // Hermetic: the developer's own store or configuration must not leak into a test.
        pb.environment().remove(StoreOptions.STORE_ENV);
        pb.environment().remove(StoreOptions.CONFIG_ENV);
        pb.environment().remove("DYNAMICSHARE_DEVKEK_PASSWORD");
        pb.environment().putAll(env);
        if (onTerminal) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))); // script feeds the pty nothing
        }
        try {
            Path out = Files.createTempFile(workDir, ".stdout", ".txt");
            Path err = Files.createTempFile(workDir, ".stderr", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!onTerminal) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("dynamicshare " + args + " did not finish within " + TIMEOUT_SECONDS + "s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), List.copyOf(args));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** One POSIX shell word. */
    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static Path jar() {
        Path jar = Paths.get(System.getProperty("dynamicshare.cli.jar", "target/dynamicshare.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), () -> "the shaded jar is missing: " + jar + " (run 'verify', not 'test')");
        return jar;
    }

    /** The very java binary running this test, so the jar is tested on the JDK under test. */
    static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }
}
