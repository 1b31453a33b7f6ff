package io.dynamicshare.appserver;

import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.testing.Processes;
import org.junit.jupiter.api.function.Executable;

import java.io.File;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs a forked JVM with embedded Tomcat as the README deploys the provider ({@code TomcatReloadTest},
 * {@code TomcatJndiTest}): JULI's ClassLoaderLogManager (as catalina.sh sets it), the drop-in jar on the JVM class
 * path (setenv.sh) registered by a {@code java.security} line, configured by {@code -Ddynamicshare.config}, and the
 * administrator's audit handler ({@link AuditCapture}) attached at JVM level to {@code io.dynamicshare.audit}. The
 * host prints {@code RESULT key=value} lines ({@link HostReport}); {@link #run} returns them as a map.
 */
final class ForkedTomcat {
    private ForkedTomcat() {
    }

    /** {@code dir/webapp/WEB-INF/classes} holding {@code servlet}'s class file and nothing else. */
    static Path webapp(Path dir, Class<?> servlet) throws Exception {
        Path webapp = dir.resolve("webapp");
        String name = servlet.getName().replace('.', '/') + ".class";
        Path target = webapp.resolve("WEB-INF/classes").resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = servlet.getClassLoader().getResourceAsStream(name)) {
            Files.copy(in, target);
        }
        return webapp;
    }

    /**
     * Runs {@code host}'s main with {@code args} in a forked JVM configured by {@code config}. The class path is the
     * drop-in jar, this JVM's Tomcat jars (Tomcat's lib/), the entries {@code alsoOnClassPath} accepts (e.g. a JDBC
     * driver in Tomcat's lib/), and the test classes (the host). Asserts exit code 0.
     */
    static Map<String, String> run(Path dir, Path config, Predicate<String> alsoOnClassPath, Class<?> host,
                                   String... args) throws Exception {
        List<String> classPath = new ArrayList<>();
        classPath.add(System.getProperty("dynamicshare.dropInJar"));
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.contains("tomcat") || alsoOnClassPath.test(e)) {
                classPath.add(e);
            }
        }
        classPath.add(testClasses().toString());

        Path logging = dir.resolve("logging.properties");
        Files.writeString(logging, String.join("\n",
                "handlers = 1audit." + AuditCapture.class.getName() + ", java.util.logging.ConsoleHandler",
                ".handlers = java.util.logging.ConsoleHandler",
                "java.util.logging.ConsoleHandler.level = WARNING",
                "io.dynamicshare.audit.level = INFO",
                "io.dynamicshare.audit.handlers = 1audit." + AuditCapture.class.getName(),
                ""));
        int n = 1;
        while (Security.getProperty("security.provider." + n) != null) {
            n++;
        }
        Path security = dir.resolve("java.security");
        Files.writeString(security, "security.provider." + n + "=" + DynamicShareProvider.class.getName() + "\n");

        List<String> cmd = new ArrayList<>(List.of(Processes.jdkTool("java"),
                "-Xmx256m",
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + logging,
                "-Djava.security.properties=" + security,
                "-Ddynamicshare.config=" + config,
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.security=ALL-UNNAMED",
                "-cp", String.join(File.pathSeparator, classPath),
                host.getName()));
        cmd.addAll(List.of(args));
        Processes.Result result = Processes.run(cmd, 120);
        System.out.println("--- forked Tomcat (exit " + result.exitCode() + ") ---\n" + result.output());
        assertEquals(0, result.exitCode(), result.output());
        Map<String, String> r = new LinkedHashMap<>();
        result.output().lines().filter(l -> l.startsWith("RESULT ")).forEach(line -> {
            int eq = line.indexOf('=');
            r.put(line.substring("RESULT ".length(), eq), line.substring(eq + 1));
        });
        return r;
    }

    /**
     * The findings of {@link HostReport#report}: no thread the provider caused keeps the reloaded web application's
     * loader or access-control context, the loader is collected, and Tomcat's {@code findleaks} is empty.
     */
    static List<Executable> leakAssertions(Map<String, String> r) {
        return List.of(
                () -> assertEquals("[]", r.get("threads.tcclFirstWebapp"),
                        "threads whose context class loader is the reloaded web application's"),
                () -> assertEquals("[]", r.get("threads.tcclAnyWebapp"),
                        "threads whose context class loader is a web application's"),
                () -> assertTrue("[]".equals(r.get("threads.accFirstWebapp"))
                                || "n/a".equals(r.get("threads.accFirstWebapp")),
                        "threads whose inherited access-control context holds the web application's code: "
                                + r.get("threads.accFirstWebapp")),
                () -> assertEquals("true", r.get("firstLoaderCollected"),
                        "the first web application's class loader is collected; findleaks: " + r.get("findleaks")
                                + "; threads: " + r.get("threads.all")),
                () -> assertEquals("[]", r.get("findleaks"), "Tomcat's findleaks"));
    }

    private static Path testClasses() throws URISyntaxException {
        return Path.of(ForkedTomcat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
