package io.dynamicshare.attack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The synthetic fixture wallets (test resources {@code /fixtures/...}), as the quickstart and the it tests use them. */
final class Wallets {
    /** A wallet: its fixture folder and the alias it is stored under (its account address). */
    record Wallet(String dir, String alias) {
        byte[] metadata() {
            return read(dir + "/wallet-metadata.json");
        }

        byte[] shares() {
            return read(dir + "/server-key-shares.json");
        }

        /** The metadata with the one backup's location moved: what an attacker who wants the backup elsewhere writes. */
        byte[] metadataWithBackupAt(String location) {
            String json = new String(metadata(), StandardCharsets.UTF_8);
            String edited = json.replace("\"location\": \"dynamic\"", "\"location\": \"" + location + "\"");
            if (edited.equals(json)) {
                throw new IllegalStateException("fixture " + dir + " has no dynamic backup location to move");
            }
            return edited.getBytes(StandardCharsets.UTF_8);
        }
    }

    static final Wallet EVM = new Wallet("evm-2of2", "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A");
    static final Wallet EVM_2OF3 = new Wallet("evm-2of3", "0xAcC93AE6A862804744Aa2f146F8e45CAb0a7655b");
    static final Wallet BTC = new Wallet("btc-taproot-2of2", "bc1ptpf8k89ufdyqzrq7x6a3n8sjtju7mujp7yvp65zphn7887w8axaqute285");
    static final Wallet SVM = new Wallet("svm-2of2", "8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjsa5iiGNBJ");
    /** The quickstart's four sample wallets, in the order it imports them. */
    static final List<Wallet> ALL = List.of(EVM, EVM_2OF3, BTC, SVM);

    private Wallets() {
    }

    static byte[] read(String path) {
        try (InputStream in = Wallets.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource fixtures/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
