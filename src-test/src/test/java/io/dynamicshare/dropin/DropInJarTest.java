package io.dynamicshare.dropin;

import io.dynamicshare.testing.EmulatorConfig;
import io.dynamicshare.testing.keyvault.KeyVaultTestDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded drop-in jar, loaded in an isolated class loader beside deliberately conflicting old
 * Jackson (2.9) and BouncyCastle (1.60) jars, as a host application would have them, round-trips an
 * entry with the Azure KEK against the Key Vault test double, and creates a development KEK.
 */
class DropInJarTest {
    static KeyVaultTestDouble vault;
    @TempDir
    Path dir;

    @BeforeAll
    static void startVault() throws Exception {
        vault = KeyVaultTestDouble.start();
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    static Path dropInJar() {
        return Path.of(System.getProperty("dynamicshare.dropInJar"));
    }

    static URLClassLoader hostLoader() throws Exception {
        List<URL> urls = new ArrayList<>();
        try (var jars = Files.list(Path.of(System.getProperty("dynamicshare.conflictingJars")))) {
            for (Path p : jars.sorted().toList()) {
                urls.add(p.toUri().toURL());
            }
        }
        assertEquals(4, urls.size(), "old jackson-core, -databind, -annotations and bcprov");
        urls.add(dropInJar().toUri().toURL());
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    @Test
    void everyDependencyIsRelocatedAndTheJarIsLean() throws Exception {
        long size = Files.size(dropInJar());
        System.out.println("drop-in jar: " + dropInJar().getFileName() + " " + size + " bytes");
        assertTrue(size < 16 * 1024 * 1024, "drop-in jar is " + size + " bytes");
        try (JarFile jar = new JarFile(dropInJar().toFile())) {
            List<String> strays = jar.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.startsWith("io/dynamicshare/") && !n.startsWith("META-INF/"))
                    .toList();
            assertEquals(List.of(), strays, "classes outside io/dynamicshare");
            String services = new String(jar.getInputStream(jar.getEntry("META-INF/services/java.security.Provider"))
                    .readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals("io.dynamicshare.provider.DynamicShareProvider", services);
        }
    }

    @Test
    void roundTripsBesideConflictingJacksonAndBouncyCastle() throws Exception {
        vault.createRsaKey("dropin", 2048);
        Path config = EmulatorConfig.write(vault, dir, "dropin", new Properties());
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader host = hostLoader()) {
            Thread.currentThread().setContextClassLoader(host);
            // The host's own, old libraries stay visible and untouched.
            assertTrue(codeSource(host, "com.fasterxml.jackson.databind.ObjectMapper").contains("jackson-databind-2.9.10"));
            assertTrue(codeSource(host, "org.bouncycastle.jce.provider.BouncyCastleProvider").contains("bcprov-jdk15on-1.60"));
            assertTrue(codeSource(host, "io.dynamicshare.shaded.com.fasterxml.jackson.databind.ObjectMapper")
                    .contains("-all.jar"));

            Provider provider = ((Provider) host.loadClass("io.dynamicshare.provider.DynamicShareProvider")
                    .getConstructor().newInstance()).configure(config.toString());
            byte[] shares = fixture("evm-2of2/server-key-shares.json");
            byte[] metadata = fixture("evm-2of2/wallet-metadata.json");
            KeyStore.Entry.Attribute attribute = new KeyStore.Entry.Attribute() {
                @Override
                public String getName() {
                    return "dynamicshare.walletMetadata";
                }

                @Override
                public String getValue() {
                    return new String(metadata, StandardCharsets.UTF_8);
                }
            };
            KeyStore ks = KeyStore.getInstance("DynamicShareKeyStore", provider);
            ks.load(null, null);
            ks.setEntry("w", new KeyStore.SecretKeyEntry(new SecretKeySpec(shares, "RAW"), Set.of(attribute)), null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, null);

            vault.resetCounters();
            KeyStore again = KeyStore.getInstance("DynamicShareKeyStore", provider);
            again.load(new ByteArrayInputStream(out.toByteArray()), null);
            KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) again.getEntry("w", null);
            assertArrayEquals(shares, e.getSecretKey().getEncoded());
            assertSame(host, e.getSecretKey().getClass().getClassLoader(), "the entry came from the drop-in jar");
            assertEquals(2, vault.successfulCalls("unwrapKey"), "store MAC key and data key, unwrapped in the vault");

            // The development KEK uses BouncyCastle's certificate builder: the trimmed, relocated BC still serves it.
            Object devKek = host.loadClass("io.dynamicshare.kek.local.LocalDevKek")
                    .getMethod("create", Path.class, char[].class, String.class,
                            host.loadClass("io.dynamicshare.kek.WrapAlgorithm"))
                    .invoke(null, dir.resolve("dev.p12"), "pw".toCharArray(), "dropin",
                            enumValue(host, "io.dynamicshare.kek.WrapAlgorithm", "RSA_OAEP_256"));
            assertTrue(devKek.toString().contains("devkek:dropin/v1"));
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private static Object enumValue(ClassLoader loader, String type, String name) throws Exception {
        for (Object c : loader.loadClass(type).getEnumConstants()) {
            if (c.toString().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static String codeSource(ClassLoader loader, String className) throws Exception {
        Class<?> c = Class.forName(className, false, loader);
        assertFalse(c.getClassLoader() == DropInJarTest.class.getClassLoader(), className + " leaked from the test class path");
        return c.getProtectionDomain().getCodeSource().getLocation().toString();
    }

    private static byte[] fixture(String path) throws Exception {
        try (InputStream in = DropInJarTest.class.getResourceAsStream("/fixtures/" + path)) {
            return in.readAllBytes();
        }
    }

}
