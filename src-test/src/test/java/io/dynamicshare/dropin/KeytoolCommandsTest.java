package io.dynamicshare.dropin;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.FileStoreParameter;
import io.dynamicshare.store.StoreContext;
import io.dynamicshare.testing.Processes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * keytool commands that either work or fail with a clear message, run as real keytool processes of every
 * JDK present (17 and 25 where the machine has them; always the JDK running the tests): -list opens no
 * entry, -storepasswd is refused and changes nothing, -importkeystore into PKCS12 fails naming the alias
 * and writes nothing, -importkeystore into another DynamicShareKeyStore works, and a bad -providerarg
 * configuration is named in keytool's output.
 *
 * <p>keytool's output carries the store's audit events (java.util.logging's default console handler), so
 * each {@code op=GET} line is one entry opened, and the {@code unwrapCalls=} counter of the data-key cache
 * says how many data keys were unwrapped.
 */
class KeytoolCommandsTest {
    static final String EVM = KeytoolTest.EVM;
    static final String SVM = KeytoolTest.SVM;
    private static final Pattern UNWRAP_CALLS = Pattern.compile("unwrapCalls=(\\d+)");

    @TempDir
    Path dir;
    Path store;
    Path config;

    static Stream<Jdks.Jdk> jdks() {
        return Jdks.present().stream();
    }

    @BeforeEach
    void storeWithTwoWallets() throws Exception {
        LocalDevKek.create(dir.resolve("dev-kek.p12"), "pw".toCharArray(), "keytool", WrapAlgorithm.AES_KW_256);
        Files.writeString(dir.resolve("devkek.password"), "pw");
        config = Files.writeString(dir.resolve("dynamicshare.properties"),
                "kek=devkek:keytool\ndevkek.file=dev-kek.p12\ndevkek.passwordFile=devkek.password\napplication=keytool-test\n");
        KeyStore ks = provider().newKeyStore();
        ks.load(null, null);
        ks.setEntry(EVM, WalletEntry.of(fixture("evm-2of2/server-key-shares.json"), fixture("evm-2of2/wallet-metadata.json")), null);
        ks.setEntry(SVM, WalletEntry.of(fixture("svm-2of2/server-key-shares.json"), fixture("svm-2of2/wallet-metadata.json")), null);
        store = dir.resolve("wallets.dsks");
        ks.store(FileStoreParameter.of(store));
    }

    private DynamicShareProvider provider() throws Exception {
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(config)));
    }

    private static byte[] fixture(String path) throws Exception {
        try (InputStream in = KeytoolCommandsTest.class.getResourceAsStream("/fixtures/" + path)) {
            return in.readAllBytes();
        }
    }

    /** Runs {@code jdk}'s keytool with the drop-in jar and {@code providerArg}; never waits on a prompt. */
    private static Processes.Result keytool(Jdks.Jdk jdk, Path providerArg, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.tool("keytool")));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-noprompt", "-providerpath", DropInJarTest.dropInJar().toString(),
                "-providerclass", DynamicShareProvider.class.getName(), "-providerarg", providerArg.toString()));
        Processes.Result r = Processes.run(cmd, 60);
        return new Processes.Result(r.exitCode(), jdk + " keytool " + String.join(" ", args) + "\n" + r.output());
    }

    private Processes.Result onStore(Jdks.Jdk jdk, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-keystore", store.toString(), "-storetype", "DynamicShareKeyStore",
                "-storepass", "ignored-by-this-store"));
        return keytool(jdk, config, all.toArray(new String[0]));
    }

    private List<String> aliases(Path file) throws Exception {
        KeyStore ks = provider().newKeyStore();
        ks.load(FileStoreParameter.of(file));
        List<String> aliases = Collections.list(ks.aliases());
        Collections.sort(aliases);
        return aliases;
    }

    private static long count(String out, String text) {
        return out.lines().filter(l -> l.contains(text)).count();
    }

    private static void assertExit(int expected, Processes.Result r) {
        assertEquals(expected, r.exitCode(), r::output);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void listOpensNoEntry(Jdks.Jdk jdk) throws Exception {
        for (String[] args : List.of(new String[] {"-list"}, new String[] {"-list", "-v"})) {
            Processes.Result r = onStore(jdk, args);
            String out = r.output();
            assertExit(0, r);
            assertTrue(out.contains("Your keystore contains 2 entries"), out);
            assertEquals(2, count(out, "SecretKeyEntry"), out);
            assertTrue(count(out, "op=LOAD") >= 1, () -> "the audit events must be visible to count reads:\n" + out);
            assertEquals(0, count(out, "op=GET"), () -> "-list opened an entry:\n" + out);
            Matcher m = UNWRAP_CALLS.matcher(out);
            while (m.find()) {
                assertEquals("0", m.group(1), () -> "-list unwrapped a data key:\n" + out);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void storepasswdIsRefusedAndChangesNothing(Jdks.Jdk jdk) throws Exception {
        byte[] before = Files.readAllBytes(store);
        Processes.Result r = onStore(jdk, "-storepasswd", "-new", "another-password");
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("protected by its KEK, not by a password"), r.output());
        assertTrue(r.output().contains("-storepasswd does not apply"), r.output());
        assertArrayEquals(before, Files.readAllBytes(store), "the store file must be untouched");

        // Commands that store with the password the store was loaded with still work.
        assertExit(0, onStore(jdk, "-delete", "-alias", SVM));
        assertEquals(List.of(EVM), aliases(store));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void importIntoPkcs12FailsNamingTheAliasAndWritesNothing(Jdks.Jdk jdk) throws Exception {
        Path p12 = dir.resolve("copy.p12");
        Processes.Result r = keytool(jdk, config, "-importkeystore",
                "-srckeystore", store.toString(), "-srcstoretype", "DynamicShareKeyStore", "-srcstorepass", "ignored",
                "-destkeystore", p12.toString(), "-deststoretype", "PKCS12", "-deststorepass", "p12-password",
                "-destkeypass", "p12-password");
        String out = r.output();
        assertNotEquals(0, r.exitCode(), out);
        assertTrue(out.contains("alias '" + EVM + "'") || out.contains("alias '" + SVM + "'"), out);
        assertTrue(out.contains("cannot copy wallet key shares into a PKCS12 store"), out);
        assertFalse(Files.exists(p12), "no destination store may be written");

        // Without -deststoretype keytool writes its default type (PKCS12): refused the same way.
        Path byDefault = dir.resolve("default-type.ks");
        Processes.Result d = keytool(jdk, config, "-importkeystore",
                "-srckeystore", store.toString(), "-srcstoretype", "DynamicShareKeyStore", "-srcstorepass", "ignored",
                "-destkeystore", byDefault.toString(), "-deststorepass", "p12-password");
        assertNotEquals(0, d.exitCode(), d.output());
        assertTrue(d.output().contains("cannot copy wallet key shares into a PKCS12 store"), d.output());
        assertFalse(Files.exists(byDefault), "no destination store may be written");
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void importIntoAnotherDynamicShareStoreWorks(Jdks.Jdk jdk) throws Exception {
        Path copy = dir.resolve("copy.dsks");
        Processes.Result r = keytool(jdk, config, "-importkeystore",
                "-srckeystore", store.toString(), "-srcstoretype", "DynamicShareKeyStore", "-srcstorepass", "ignored",
                "-destkeystore", copy.toString(), "-deststoretype", "DynamicShareKeyStore", "-deststorepass", "ignored");
        String out = r.output();
        assertExit(0, r);
        assertTrue(out.contains("2 entries successfully imported, 0 entries failed"), out);
        assertEquals(2, count(out, "op=GET"), () -> "each source entry is read once, nothing more:\n" + out);
        assertEquals(List.of(EVM, SVM).stream().sorted().toList(), aliases(copy));
        KeyStore ks = provider().newKeyStore();
        ks.load(FileStoreParameter.of(copy));
        assertArrayEquals(fixture("svm-2of2/server-key-shares.json"), ks.getKey(SVM, null).getEncoded());

        // Into an existing DynamicShareKeyStore named without -deststoretype (keytool probes its type).
        KeyStore existing = provider().newKeyStore();
        existing.load(null, null);
        existing.setEntry(EVM, WalletEntry.of(fixture("evm-2of2/server-key-shares.json"),
                fixture("evm-2of2/wallet-metadata.json")), null);
        Path existingFile = dir.resolve("existing.dsks");
        existing.store(FileStoreParameter.of(existingFile));
        Processes.Result single = keytool(jdk, config, "-importkeystore", "-srcalias", SVM,
                "-srckeystore", store.toString(), "-srcstoretype", "DynamicShareKeyStore", "-srcstorepass", "ignored",
                "-destkeystore", existingFile.toString(), "-deststorepass", "ignored");
        assertExit(0, single);
        assertEquals(List.of(EVM, SVM).stream().sorted().toList(), aliases(existingFile));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void badProviderArgIsNamedInTheOutput(Jdks.Jdk jdk) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.properties"), "application=keytool-test\nbogus.setting=1\n");
        assertBadConfigNamed(jdk, bad, "unknown key 'bogus.setting'");
        Path absent = dir.resolve("absent.properties");
        assertBadConfigNamed(jdk, absent, "cannot read the DynamicShare configuration file " + absent);
    }

    private void assertBadConfigNamed(Jdks.Jdk jdk, Path providerArg, String reason) throws Exception {
        Processes.Result r = keytool(jdk, providerArg, "-list", "-keystore", store.toString(),
                "-storetype", "DynamicShareKeyStore", "-storepass", "ignored");
        String out = r.output();
        assertNotEquals(0, r.exitCode(), out);
        List<String> warnings = out.lines().filter(l -> l.startsWith("WARNING:")).toList();
        assertEquals(1, warnings.size(), () -> "exactly one WARNING expected in:\n" + out);
        assertTrue(warnings.get(0).contains(reason), out);
        assertTrue(warnings.get(0).contains(providerArg.toString()), out);
    }
}
