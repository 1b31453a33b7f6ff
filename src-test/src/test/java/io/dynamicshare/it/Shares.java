package io.dynamicshare.it;

import java.nio.charset.StandardCharsets;

/** Synthetic share JSON built from the fixtures. */
final class Shares {
    private Shares() {
    }

    /** One ECDSA share (the evm-2of2 fixture's public key) padded with secret hex to about {@code size} bytes. */
    static byte[] single(int size) {
        String json = new String(Fixtures.WALLETS.get(0).shares(), StandardCharsets.UTF_8);
        int at = json.indexOf("\"secretShare\": \"") + "\"secretShare\": \"".length();
        int pad = Math.max(0, size - json.length());
        return (json.substring(0, at) + "ab".repeat(pad / 2) + json.substring(at)).getBytes(StandardCharsets.UTF_8);
    }

    /** Two shares of one TWO_OF_THREE wallet whose second public key differs in one byte. */
    static byte[] twoWithDifferentPublicKeys() {
        String json = new String(Fixtures.WALLETS.get(1).shares(), StandardCharsets.UTF_8);
        int second = json.indexOf("\"pubkey\"", json.indexOf("secretShare"));
        int value = json.indexOf("\"0\": ", second) + "\"0\": ".length();
        int end = json.indexOf(',', value);
        int b = Integer.parseInt(json.substring(value, end).trim());
        return (json.substring(0, value) + ((b + 1) % 256) + json.substring(end)).getBytes(StandardCharsets.UTF_8);
    }
}
