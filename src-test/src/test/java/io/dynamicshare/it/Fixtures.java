package io.dynamicshare.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The synthetic wallets copied from the shared fixtures into test resources. */
public final class Fixtures {
    /** A wallet shape: its folder and the alias tests store it under. */
    public record Wallet(String dir, String alias) {
        public byte[] metadata() {
            return read(dir + "/wallet-metadata.json");
        }

        public byte[] shares() {
            return read(dir + "/server-key-shares.json");
        }
    }

    public static final List<Wallet> WALLETS = List.of(
            new Wallet("evm-2of2", "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A"),
            new Wallet("evm-2of3", "0xAcC93AE6A862804744Aa2f146F8e45CAb0a7655b"),
            new Wallet("btc-taproot-2of2", "bc1ptpf8k89ufdyqzrq7x6a3n8sjtju7mujp7yvp65zphn7887w8axaqute285"),
            new Wallet("svm-2of2", "8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjsa5iiGNBJ"));

    private Fixtures() {
    }

    public static byte[] read(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource fixtures/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
