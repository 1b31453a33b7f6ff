package io.dynamicshare.bench.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Synthetic wallets of an exact size, shaped like the fixtures: the shares JSON is a fixture share with its
 * {@code secretShare} hex resized (repeated three times, same pubkey, for 3-of-5), padded with trailing
 * whitespace to exactly {@code size} bytes.
 *
 * <ul>
 *   <li>up to 4 KB: an Ed25519 / BIP340 wallet (svm-2of2 shape, one share, TWO_OF_TWO);</li>
 *   <li>up to 64 KB: ECDSA 2-of-2 (evm-2of2 shape, one share);</li>
 *   <li>larger: ECDSA 3-of-5 (three shares of a third of the size each, THREE_OF_FIVE metadata).</li>
 * </ul>
 */
public final class Wallets {
    private static final Pattern SECRET = Pattern.compile("(\"secretShare\"\\s*:\\s*\")([0-9a-f]+)(\")");

    /** One wallet: its alias, {@code externalServerKeyShares} JSON and walletMetadata JSON. */
    public record Wallet(String alias, byte[] shares, byte[] metadata) {
    }

    private Wallets() {
    }

    /** Which fixture shape a size uses. */
    public static String shape(int size) {
        return size <= 4096 ? "svm-2of2" : size <= 65536 ? "evm-2of2" : "evm-3of5";
    }

    /** Wallet number {@code index} of {@code size} bytes of shares; different indexes differ in secret and alias. */
    public static Wallet wallet(int size, int index) {
        String shape = shape(size);
        int shareCount = shape.equals("evm-3of5") ? 3 : 1;
        String template = resource(shape.equals("svm-2of2") ? "svm-2of2" : "evm-2of2", "server-key-shares.json").trim();
        // The template is "[ {share} ]": keep the share object, resize its secret.
        String share = template.substring(template.indexOf('{'), template.lastIndexOf('}') + 1);
        Matcher m = SECRET.matcher(share);
        if (!m.find()) {
            throw new IllegalStateException("fixture share has no secretShare");
        }
        String before = share.substring(0, m.start(2));
        String after = share.substring(m.end(2));
        int fixed = 2 + (shareCount - 1) * 2 + shareCount * (before.length() + after.length()) + 2; // "[\n" ",\n" "\n]"
        int hexTotal = size - fixed;
        if (hexTotal < shareCount * 4) {
            throw new IllegalArgumentException("size " + size + " is too small for the " + shape + " shape");
        }
        int hexEach = (hexTotal / shareCount) & ~1; // even: whole bytes of hex
        Random rnd = new Random(0x5eed_0000L + size * 31L + index);
        StringBuilder json = new StringBuilder(size).append("[\n");
        for (int i = 0; i < shareCount; i++) {
            if (i > 0) {
                json.append(",\n");
            }
            json.append(before).append("02");
            for (int h = 2; h < hexEach; h++) {
                json.append(Character.forDigit(rnd.nextInt(16), 16));
            }
            json.append(after);
        }
        json.append("\n]");
        while (json.length() < size) {
            json.append(' ');
        }
        byte[] shares = json.toString().getBytes(StandardCharsets.US_ASCII);
        if (shares.length != size) {
            throw new IllegalStateException("built " + shares.length + " bytes, wanted " + size);
        }
        byte[] metadata = resource(shape, "wallet-metadata.json").getBytes(StandardCharsets.UTF_8);
        return new Wallet(alias(shape, index), shares, metadata);
    }

    private static String alias(String shape, int index) {
        // EVM-style 0x addresses, Solana-style base58-ish strings: case-sensitive like real aliases.
        return shape.startsWith("svm") ? String.format("8KFh8ALHsK36LLGzfZNFQHVdWsUJJecaJYjs%08d", index)
                : String.format("0xA9bb71A1d92b271b3D50Ad7509E16810%08x", index);
    }

    static String resource(String dir, String file) {
        String path = "/fixtures/" + dir + "/" + file;
        try (InputStream in = Wallets.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
