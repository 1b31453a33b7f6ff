package io.dynamicshare.azure;

import io.dynamicshare.testing.EmulatorConfig;
import io.dynamicshare.testing.Processes;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared helpers of the Azure deadline, credential-error and managed-identity tests. */
final class AzureTests {
    private AzureTests() {
    }

    /** The client-secret emulator configuration without its credential keys, then {@code extra} on top. */
    static Path config(KeyVaultTestDouble vault, Path dir, String keyName, Properties extra) throws IOException {
        Path file = EmulatorConfig.write(vault, dir, keyName, new Properties());
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        p.putAll(extra);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        return file;
    }

    /** A configuration for {@code azure.credential=managed-identity}: no AAD keys, the double's trust store. */
    static Path managedIdentityConfig(KeyVaultTestDouble vault, Path dir, String keyName, Properties extra)
            throws IOException {
        Path file = config(vault, dir, keyName, extra);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        for (String k : List.of("azure.tenantId", "azure.clientId", "azure.clientSecretFile", "azure.authorityHost",
                "azure.disableInstanceDiscovery")) {
            p.remove(k);
        }
        p.setProperty("azure.credential", "managed-identity");
        p.putAll(extra);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        return file;
    }

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    /**
     * Runs {@link AzureChild} in a new JVM whose environment has no Azure or managed-identity variable but
     * {@code env}; kills it after {@code timeoutSeconds}.
     */
    static Processes.Result child(Map<String, String> env, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Processes.jdkTool("java"), "-cp", System.getProperty("java.class.path"),
                AzureChild.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("IDENTITY_")
                || k.startsWith("MSI_") || k.equals("IMDS_ENDPOINT"));
        pb.environment().putAll(env);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "azure-child-output");
        pump.setDaemon(true);
        pump.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            pump.join(2000);
            throw new AssertionError("the child JVM did not finish within " + timeoutSeconds + " s:\n"
                    + out.toString(StandardCharsets.UTF_8));
        }
        pump.join(5000);
        return new Processes.Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    /** The result line {@link AzureChild} printed (its last line starting with OK or FAILED). */
    static String resultLine(Processes.Result r) {
        String found = null;
        for (String line : r.output().split("\\R")) {
            if (line.startsWith("OK") || line.startsWith("FAILED") || line.startsWith("MISMATCH")) {
                found = line;
            }
        }
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(found != null, () -> "no result line in:\n" + r.output());
        return found;
    }

    static void assertContains(String text, String... parts) {
        for (String p : parts) {
            assertTrue(text != null && text.contains(p), () -> "expected \"" + p + "\" in: " + text);
        }
    }

    static void assertLacks(String text, String... parts) {
        for (String p : parts) {
            assertTrue(text == null || !text.contains(p), () -> "did not expect \"" + p + "\" in: " + text);
        }
    }

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
