package io.dynamicshare.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic wallet fixtures in {@code src/test/resources/fixtures} (copied from the project's shared
 * fixtures) and the samples bundled in the jar ({@code /samples}).
 */
final class Fixtures {
    static final String EVM_ADDRESS = "0xA9bb71A1d92b271b3D50Ad7509E16810a809a08A";
    static final String EVM_2OF3_ADDRESS = "0xAcC93AE6A862804744Aa2f146F8e45CAb0a7655b";
    static final String BTC_ADDRESS = "bc1ptpf8k89ufdyqzrq7x6a3n8sjtju7mujp7yvp65zphn7887w8axaqute285";
    static final String SVM_ADDRESS = "8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjsa5iiGNBJ";
    static final String[] SAMPLES = {"evm-2of2", "evm-2of3", "btc-taproot-2of2", "svm-2of2"};

    private Fixtures() {
    }

    static Path path(String relative) {
        URL url = Fixtures.class.getResource("/fixtures/" + relative);
        if (url == null) {
            throw new IllegalArgumentException("no fixture " + relative);
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String relative) {
        try {
            return Cli.JSON.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture object, as a mutable tree (tests derive broken variants from it). */
    static ObjectNode object(String relative) {
        return (ObjectNode) tree(relative);
    }

    /** The {@code secretShare} values of a shares array or of any SDK result holding one. */
    static List<String> secretShares(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.findValues("secretShare").forEach(v -> out.add(v.asText()));
        return out;
    }

    static List<String> secretShares(String relative) {
        return secretShares(tree(relative));
    }

    /** Every secretShare of the samples bundled in the jar (the quickstart imports those). */
    static List<String> sampleSecretShares() {
        List<String> out = new ArrayList<>();
        for (String sample : SAMPLES) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/samples/" + sample + "/server-key-shares.json")) {
                if (in == null) {
                    throw new IllegalStateException("sample " + sample + " is not bundled");
                }
                out.addAll(secretShares(Cli.JSON.readTree(in)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Writes each sample wallet into {@code dir} as a createWalletAccount return, {@code <sample>.json}. */
    static Path sdkResults(Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        for (String sample : SAMPLES) {
            String json = "{\"walletMetadata\": " + new String(bytes(sample + "/wallet-metadata.json"),
                    java.nio.charset.StandardCharsets.UTF_8) + ", \"externalServerKeyShares\": "
                    + new String(bytes(sample + "/server-key-shares.json"), java.nio.charset.StandardCharsets.UTF_8)
                    + "}";
            java.nio.file.Files.write(dir.resolve(sample + ".json"),
                    json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return dir;
    }
}
