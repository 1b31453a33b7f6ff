package io.dynamicshare.dropin;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What the drop-in jar offers a host beyond its own classes: service files, multi-release entries and
 * references. Nothing may name a host's interface for a shaded class, hide an unrelocated class of a shaded
 * library, or reach for an unrelocated class of a library the jar shades (or leaves out on purpose, JNA).
 */
class DropInJarContentsTest {
    /** Packages the jar relocates under io/dynamicshare/shaded (pom.xml of the provider), as entry paths. */
    static final List<String> RELOCATED = List.of("com/azure/", "com/microsoft/aad/", "com/fasterxml/", "reactor/",
            "org/reactivestreams/", "okhttp3/", "okio/", "kotlin/", "org/bouncycastle/", "org/slf4j/", "org/intellij/",
            "org/jetbrains/", "com/sun/jna/", "io/micrometer/", "com/zaxxer/");

    @Test
    void everyServiceFileNamesAnInterfaceTheHostHasOrTheJarHasAndOnlyClassesOfTheJar() throws Exception {
        List<String> problems = new ArrayList<>();
        int files = 0;
        try (JarFile jar = new JarFile(DropInJarTest.dropInJar().toFile())) {
            for (JarEntry e : jar.stream().toList()) {
                String name = e.getName();
                if (!name.startsWith("META-INF/services/") || e.isDirectory()) {
                    continue;
                }
                files++;
                String service = name.substring("META-INF/services/".length());
                boolean jdk = service.startsWith("java.") || service.startsWith("javax.");
                if (!jdk && jar.getEntry(classFile(service)) == null) {
                    problems.add(name + ": interface " + service + " is not in the jar (and not a JDK interface)");
                }
                for (String impl : implementations(jar, e)) {
                    if (jar.getEntry(classFile(impl)) == null) {
                        problems.add(name + ": implementation " + impl + " is not in the jar");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertFalse(files == 0, "the jar has service files (java.security.Provider at least)");
    }

    @Test
    void noEntryOutsideIoDynamicshareBelongsToARelocatedPackageNotEvenUnderMetaInfVersions() throws Exception {
        List<String> strays = new ArrayList<>();
        try (JarFile jar = new JarFile(DropInJarTest.dropInJar().toFile())) {
            Manifest mf = jar.getManifest();
            boolean multiRelease = mf != null && "true".equalsIgnoreCase(mf.getMainAttributes().getValue("Multi-Release"));
            for (JarEntry e : jar.stream().toList()) {
                String name = e.getName();
                String path = name.replaceFirst("^META-INF/versions/[0-9]+/", "");
                if (!path.equals(name) && !multiRelease && !e.isDirectory()) {
                    strays.add(name + " (the jar is not Multi-Release: a dead, unrelocated copy)");
                    continue;
                }
                if (path.startsWith("io/dynamicshare/")) {
                    continue;
                }
                for (String pkg : RELOCATED) {
                    if (path.startsWith(pkg)) {
                        strays.add(name);
                    }
                }
            }
        }
        assertEquals(List.of(), strays);
    }

    /**
     * Resources a host's tools read (GraalVM native-image settings, ProGuard rules...) must not name classes of
     * a relocated package: they would act on the host's own copies of those libraries.
     */
    @Test
    void noResourceNamesAnUnrelocatedClassOfARelocatedPackage() throws Exception {
        Pattern unrelocated = Pattern.compile("(?<![A-Za-z0-9_$/.])(" + String.join("|",
                RELOCATED.stream().map(p -> p.replace("/", "[./]")).toList()) + ")[A-Za-z0-9_$]");
        List<String> found = new ArrayList<>();
        try (JarFile jar = new JarFile(DropInJarTest.dropInJar().toFile())) {
            for (JarEntry e : jar.stream().toList()) {
                String name = e.getName();
                String file = name.substring(name.lastIndexOf('/') + 1);
                // Resources under io/dynamicshare are the jar's own (and the relocated libraries' own) business.
                if (e.isDirectory() || name.startsWith("io/dynamicshare/") || name.startsWith("META-INF/services/")
                        || file.equals("MANIFEST.MF") || file.contains("LICENSE") || file.contains("NOTICE")) {
                    continue;
                }
                try (InputStream in = jar.getInputStream(e)) {
                    Matcher m = unrelocated.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                    if (m.find()) {
                        found.add(name + " -> " + m.group());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    /** JNA is left out; the one class in its relocated package is the provider's stand-in Platform. */
    @Test
    void theOnlyJnaClassIsTheStandInPlatformAndItTellsTheTruth() throws Exception {
        try (JarFile jar = new JarFile(DropInJarTest.dropInJar().toFile());
             URLClassLoader loader = new URLClassLoader(new URL[] {DropInJarTest.dropInJar().toUri().toURL()},
                     ClassLoader.getPlatformClassLoader())) {
            assertEquals(List.of("io/dynamicshare/shaded/com/sun/jna/Platform.class"), jar.stream()
                    .map(JarEntry::getName).filter(n -> n.contains("/jna/") && !n.endsWith("/")).toList());
            Class<?> platform = loader.loadClass("io.dynamicshare.shaded.com.sun.jna.Platform");
            String os = System.getProperty("os.name");
            assertEquals(os.startsWith("Linux"), platform.getMethod("isLinux").invoke(null), os);
            assertEquals(os.startsWith("Windows"), platform.getMethod("isWindows").invoke(null), os);
            assertEquals(os.startsWith("Mac"), platform.getMethod("isMac").invoke(null), os);
        }
    }

    /**
     * Class files name the classes they link against in their constant pool: none may name an unrelocated
     * class of a package the jar relocates, or the host's copy (or none) would be linked instead.
     */
    @Test
    void noClassLinksAgainstAnUnrelocatedNameOfARelocatedPackage() throws Exception {
        Pattern unrelocated = Pattern.compile("(?<![A-Za-z0-9_$/.])L?(" + String.join("|", RELOCATED) + ")[A-Za-z0-9_$/]*");
        // Per relocated package: how many classes link against it unrelocated, and the first few.
        Map<String, List<String>> found = new TreeMap<>();
        try (JarFile jar = new JarFile(DropInJarTest.dropInJar().toFile())) {
            for (JarEntry e : jar.stream().toList()) {
                if (!e.getName().endsWith(".class")) {
                    continue;
                }
                Map<String, String> inThisClass = new TreeMap<>();
                try (InputStream in = jar.getInputStream(e)) {
                    for (String name : linkedNames(new DataInputStream(in))) {
                        Matcher m = unrelocated.matcher(name);
                        if (m.find()) {
                            inThisClass.putIfAbsent(m.group(1), m.group());
                        }
                    }
                }
                inThisClass.forEach((pkg, example) -> {
                    List<String> classes = found.computeIfAbsent(pkg, k -> new ArrayList<>());
                    classes.add(classes.size() < 5 ? e.getName() + " -> " + example : "...");
                });
            }
        }
        found.replaceAll((pkg, classes) -> {
            List<String> shown = new ArrayList<>(classes.stream().filter(c -> !c.equals("...")).toList());
            shown.add(0, classes.size() + " classes");
            return shown;
        });
        assertEquals(Map.of(), found);
    }

    /**
     * The names a class file links against (JVMS 4.4): class names of CONSTANT_Class entries, descriptors of
     * NameAndType and MethodType entries, and the descriptors of its own fields and methods. Other strings
     * (literals, Kotlin metadata) play no part in linking and are left out.
     */
    static List<String> linkedNames(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> linked = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7, 16 -> linked.add(in.readUnsignedShort());
                case 12 -> {
                    in.readUnsignedShort();
                    linked.add(in.readUnsignedShort());
                }
                case 8, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++;
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        in.skipNBytes(6); // access flags, this class, super class (both CONSTANT_Class, already counted)
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces (CONSTANT_Class)
        for (int table = 0; table < 2; table++) { // fields, then methods
            int members = in.readUnsignedShort();
            for (int m = 0; m < members; m++) {
                in.skipNBytes(4); // access flags, name
                linked.add(in.readUnsignedShort());
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    in.skipNBytes(2);
                    in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (int index : linked) {
            out.add(utf8[index]);
        }
        return out;
    }

    /**
     * Tomcat's layout: the drop-in jar in the server's lib (parent loader), Micrometer context-propagation in
     * the webapp (child). The webapp's ServiceLoader sees the parent's service files too.
     */
    @Test
    void aWebappWithMicrometerContextPropagationLoadsItsContextAccessorsBesideTheJar() throws Exception {
        try (URLClassLoader server = new URLClassLoader(new URL[] {DropInJarTest.dropInJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
             URLClassLoader webapp = new URLClassLoader(new URL[] {contextPropagationJar()}, server)) {
            assertEquals(List.of(), accessors(webapp), "no accessor from the drop-in jar reaches the webapp");
        }
    }

    /** One flat class path (a fat jar, a plain java -cp) holding both. */
    @Test
    void aFlatClassPathWithMicrometerContextPropagationLoadsItsContextAccessors() throws Exception {
        try (URLClassLoader flat = new URLClassLoader(new URL[] {contextPropagationJar(),
                DropInJarTest.dropInJar().toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            assertEquals(List.of(), accessors(flat), "no accessor from the drop-in jar is registered");
        }
    }

    private static List<String> accessors(ClassLoader loader) throws Exception {
        Class<?> contextAccessor = Class.forName("io.micrometer.context.ContextAccessor", false, loader);
        assertFalse(contextAccessor.getClassLoader() == DropInJarContentsTest.class.getClassLoader(),
                "context-propagation must come from the test's loader, not the test class path");
        List<String> names = new ArrayList<>();
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            for (Object accessor : ServiceLoader.load(contextAccessor, loader)) {
                names.add(accessor.getClass().getName());
            }
            // What Micrometer itself does on first use (ServiceLoader through the context class loader).
            Object registry = Class.forName("io.micrometer.context.ContextRegistry", true, loader)
                    .getMethod("getInstance").invoke(null);
            assertNotNull(registry);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        return names;
    }

    private static URL contextPropagationJar() throws Exception {
        // The test class path has it (a test dependency); the test loads it again, alone, in its own loaders.
        URL location = Class.forName("io.micrometer.context.ContextAccessor").getProtectionDomain().getCodeSource()
                .getLocation();
        assertNotNull(location);
        assertFalse(Path.of(location.toURI()).toString().contains("-all.jar"));
        return location;
    }

    private static List<String> implementations(JarFile jar, JarEntry e) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = jar.getInputStream(e)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String impl = line.replaceFirst("#.*", "").trim();
                if (!impl.isEmpty()) {
                    out.add(impl);
                }
            }
        }
        return out;
    }

    private static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }
}
