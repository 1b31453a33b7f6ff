package io.dynamicshare.attack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the shaded CLI ({@code cli/target/dynamicshare.jar}, built by the reactor's package phase) as its own
 * process, with the java running the tests, as a user would.
 */
final class CliProcess {
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private CliProcess() {
    }

    static Path jar() {
        Path jar = Paths.get(System.getProperty("dynamicshare.cli.jar", "../cli/target/dynamicshare.jar"))
                .toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), () -> "the CLI's shaded jar is missing: " + jar + " (build the reactor "
                + "with 'verify' or 'package', not 'test')");
        return jar;
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "-jar", jar().toString()));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().remove("DYNAMICSHARE_STORE");
        pb.environment().remove("DYNAMICSHARE_CONFIG");
        pb.environment().remove("DYNAMICSHARE_DEVKEK_PASSWORD");
        Path out = Files.createTempFile(workDir, ".stdout", ".txt");
        Path err = Files.createTempFile(workDir, ".stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("dynamicshare " + Arrays.toString(args) + " did not finish within 60 s");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
