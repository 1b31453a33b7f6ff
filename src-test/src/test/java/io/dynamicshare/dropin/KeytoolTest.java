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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JDK's own keytool binary (of the JDK running the tests) works against a store, given the drop-in
 * jar with -providerpath and the configuration with -providerarg: -list, -list -v, -delete, -changealias.
 */
class KeytoolTest {
    static final String EVM = "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A";
    static final String SVM = "8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjsa5iiGNBJ";
    @TempDir
    Path dir;
    Path store;
    Path config;

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
        return new DynamicShareProvider(StoreContext.of(StoreConfig.load(dir.resolve("dynamicshare.properties"))));
    }

    private static byte[] fixture(String path) throws Exception {
        try (InputStream in = KeytoolTest.class.getResourceAsStream("/fixtures/" + path)) {
            return in.readAllBytes();
        }
    }

    private String keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Processes.jdkTool("keytool")));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-keystore", store.toString(), "-storetype", "DynamicShareKeyStore",
                "-providerpath", DropInJarTest.dropInJar().toString(),
                "-providerclass", "io.dynamicshare.provider.DynamicShareProvider", "-providerarg", config.toString(),
                "-storepass", "ignored-by-this-store"));
        Processes.Result r = Processes.run(cmd, 60);
        assertEquals(0, r.exitCode(), r.output());
        return r.output();
    }

    private List<String> aliases() throws Exception {
        KeyStore ks = provider().newKeyStore();
        ks.load(FileStoreParameter.of(store));
        return Collections.list(ks.aliases());
    }

    @Test
    void list() throws Exception {
        String out = keytool("-list");
        assertTrue(out.contains("Keystore type: DYNAMICSHAREKEYSTORE"), out);
        assertTrue(out.contains("Your keystore contains 2 entries"), out);
        assertTrue(out.contains(EVM + ", ") && out.contains(SVM + ", ") && out.contains("SecretKeyEntry"), out);
    }

    @Test
    void listVerbose() throws Exception {
        String out = keytool("-list", "-v");
        assertTrue(out.contains("Alias name: " + EVM), out);
        assertTrue(out.contains("Entry type: SecretKeyEntry"), out);
        assertTrue(!out.contains("secretShare"), "keytool never shows share content");
    }

    @Test
    void delete() throws Exception {
        keytool("-delete", "-alias", SVM);
        assertEquals(List.of(EVM), aliases());
    }

    @Test
    void changeAlias() throws Exception {
        keytool("-changealias", "-alias", EVM, "-destalias", "treasury", "-keypass", "ignored");
        assertEquals(List.of(SVM, "treasury"), aliases());
        KeyStore ks = provider().newKeyStore();
        ks.load(FileStoreParameter.of(store));
        assertArrayEquals(fixture("evm-2of2/server-key-shares.json"), ks.getKey("treasury", null).getEncoded());
    }
}
