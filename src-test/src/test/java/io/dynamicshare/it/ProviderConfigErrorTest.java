package io.dynamicshare.it;

import io.dynamicshare.dropin.Jdks;
import io.dynamicshare.testing.Processes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A configuration that cannot be loaded, named on a {@code security.provider.N} line, is not silently
 * dropped: {@code KeyStore.getInstance("DynamicShareKeyStore")} carries the reason in its cause chain, and
 * the provider's logger says it once at WARNING. Forked JVMs of every JDK present (17 and 25 where the
 * machine has them, always the one running the tests), with the JDK's default logging configuration.
 */
class ProviderConfigErrorTest {
    /** JUL's default handler, with the logger name in each line so the test can see which logger spoke. */
    private static final String LOG_FORMAT = "-Djava.util.logging.SimpleFormatter.format=%4$s: [%3$s] %5$s%n";
    private static final String PROVIDER_LOGGER = "[io.dynamicshare.provider.DynamicShareProvider]";

    @TempDir
    Path dir;

    static Stream<Jdks.Jdk> jdks() {
        return Jdks.present().stream();
    }

    private Path unknownKeyConfig() throws Exception {
        return Files.writeString(dir.resolve("bad.properties"), "application=config-error-test\nbogus.setting=1\n");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void unknownKeyOnANameAndFileLine(Jdks.Jdk jdk) throws Exception {
        String out = fork(jdk, "DynamicShare " + unknownKeyConfig());
        assertReasonReachable(out, "unknown key 'bogus.setting'");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void missingFileOnANameAndFileLine(Jdks.Jdk jdk) throws Exception {
        Path absent = dir.resolve("absent.properties");
        String out = fork(jdk, "DynamicShare " + absent);
        assertReasonReachable(out, "cannot read the DynamicShare configuration file " + absent);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void unknownKeyThroughTheSystemPropertyOnAClassNameLine(Jdks.Jdk jdk) throws Exception {
        String out = fork(jdk, "io.dynamicshare.provider.DynamicShareProvider",
                "-Ddynamicshare.config=" + unknownKeyConfig());
        assertReasonReachable(out, "unknown key 'bogus.setting'");
    }

    /** Each lookup's cause chain names the problem; exactly one WARNING, from the provider's logger, names it. */
    private static void assertReasonReachable(String out, String reason) {
        for (int attempt = 1; attempt <= 2; attempt++) {
            String prefix = "attempt " + attempt + " chain: ";
            String line = out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
            assertTrue(line != null, () -> prefix + "missing in:\n" + out);
            assertContains(line, "DynamicShareKeyStore", reason);
        }
        List<String> warnings = out.lines().filter(l -> l.startsWith("WARNING:")).toList();
        assertEquals(1, warnings.size(), () -> "exactly one WARNING expected in:\n" + out);
        assertContains(warnings.get(0), PROVIDER_LOGGER, reason);
        assertContains(out, "other providers unaffected: PKCS12 found");
    }

    /** Forks {@code jdk}'s java with a java.security override that appends {@code providerLine}. */
    private String fork(Jdks.Jdk jdk, String providerLine, String... jvmArgs) throws Exception {
        Path securityFile = dir.resolve("java.security-" + jdk.feature());
        Files.writeString(securityFile, "security.provider." + jdk.nextProviderSlot() + "=" + providerLine + "\n");
        List<String> cmd = new ArrayList<>(List.of(jdk.tool("java"), "-Djava.security.properties=" + securityFile,
                LOG_FORMAT));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ForkedProviderLookupMain.class.getName()));
        Processes.Result r = Processes.run(cmd, 60);
        assertEquals(0, r.exitCode(), () -> jdk + ":\n" + r.output());
        return jdk + "\n" + r.output();
    }
}
