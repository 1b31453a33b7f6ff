package io.dynamicshare.dropin;

import io.dynamicshare.testing.Processes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM whose class path is the drop-in jar and one main class of this package (copied alone into
 * {@code dir}, so nothing of the test class path leaks in), with exactly the environment given: nothing of
 * this JVM's environment is inherited.
 */
final class DropInForkedJvm {
    /** A finished JVM: exit code, and stdout and stderr kept apart. */
    record Result(int exitCode, String stdout, String stderr) {
        String both() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private DropInForkedJvm() {
    }

    static Result run(Class<?> main, Path dir, Map<String, String> env, List<String> jvmArgs, List<String> args,
            long timeoutSeconds)
            throws IOException, InterruptedException {
        Path classes = Files.createDirectories(dir.resolve("main-classes"));
        copyClass(main, classes);
        for (Class<?> inner : main.getDeclaredClasses()) {
            copyClass(inner, classes);
        }
        // Anonymous classes of the main class (DropInAzureMain$1, $2...).
        for (int i = 1; ; i++) {
            String name = main.getName().replace('.', '/') + "$" + i + ".class";
            try (InputStream in = main.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    break;
                }
                Path target = classes.resolve(name);
                Files.createDirectories(target.getParent());
                Files.write(target, in.readAllBytes());
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Processes.jdkTool("java")));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", classes + java.io.File.pathSeparator + DropInJarTest.dropInJar(), main.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + cmd + "\n"
                    + Files.readString(out) + "\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void copyClass(Class<?> c, Path classes) throws IOException {
        String name = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
            Path target = classes.resolve(name);
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
        }
    }
}
