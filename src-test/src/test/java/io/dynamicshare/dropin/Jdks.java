package io.dynamicshare.dropin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JDKs a test runs real JDK tools on: always the one running the tests, plus a JDK 17 and a JDK 25 from
 * {@code /usr/lib/jvm} where this machine has them (CI runs the suite on 17 and on 25; keytool differs
 * between them). One JDK per feature version; a missing one is simply not in the list, so a test still
 * asserts everything on the JDK it runs on.
 */
public final class Jdks {
    /** A JDK home and its feature version. */
    public record Jdk(int feature, Path home) {
        public String tool(String name) {
            return home.resolve("bin").resolve(name).toString();
        }

        /** The first free {@code security.provider.N} number of this JDK's own java.security file. */
        public int nextProviderSlot() {
            Path file = home.resolve("conf/security/java.security");
            int max = 0;
            try {
                for (String line : Files.readAllLines(file)) {
                    java.util.regex.Matcher m = PROVIDER_LINE.matcher(line);
                    if (m.matches()) {
                        max = Math.max(max, Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
            return max + 1;
        }

        @Override
        public String toString() {
            return "JDK " + feature + " (" + home + ")";
        }
    }

    private static final java.util.regex.Pattern PROVIDER_LINE =
            java.util.regex.Pattern.compile("\\s*security\\.provider\\.(\\d+)\\s*=.*");
    private static final List<Integer> WANTED = List.of(17, 25);

    private Jdks() {
    }

    /** The JDK running this test first, then the other wanted versions that are installed. */
    public static List<Jdk> present() {
        Map<Integer, Jdk> byVersion = new LinkedHashMap<>();
        Jdk current = new Jdk(Runtime.version().feature(), Path.of(System.getProperty("java.home")));
        byVersion.put(current.feature(), current);
        Path jvm = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvm)) {
            try (Stream<Path> homes = Files.list(jvm)) {
                for (Path home : homes.sorted().toList()) {
                    int feature = feature(home);
                    if (WANTED.contains(feature) && Files.isExecutable(home.resolve("bin/keytool"))) {
                        byVersion.putIfAbsent(feature, new Jdk(feature, home.toRealPath()));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + jvm, e);
            }
        }
        return new ArrayList<>(byVersion.values());
    }

    /** The feature version recorded in a JDK home's {@code release} file, or -1. */
    private static int feature(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(release)) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    int end = 0;
                    while (end < v.length() && Character.isDigit(v.charAt(end))) {
                        end++;
                    }
                    return end == 0 ? -1 : Integer.parseInt(v.substring(0, end));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
