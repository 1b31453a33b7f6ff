package io.dynamicshare.entry;

import io.dynamicshare.metadata.MetadataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WalletEntry refuses metadata bytes that are not UTF-8 instead of turning them into U+FFFD. */
class WalletEntryUtf8Test {
    private static final byte[] SHARES = "[{\"pubkey\":{\"0\":1},\"secretShare\":\"00\"}]".getBytes(StandardCharsets.US_ASCII);

    private static byte[] metadataWith(String hex) {
        byte[] prefix = "{\"walletId\":\"ab".getBytes(StandardCharsets.US_ASCII);
        byte[] suffix = "cd\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] middle = new byte[hex.length() / 2];
        for (int i = 0; i < middle.length; i++) {
            middle[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        byte[] out = new byte[prefix.length + middle.length + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(middle, 0, out, prefix.length, middle.length);
        System.arraycopy(suffix, 0, out, prefix.length + middle.length, suffix.length);
        return out;
    }

    @ParameterizedTest
    @CsvSource({
        "ff,           byte 0xff cannot start a UTF-8 character",
        "fe,           byte 0xfe cannot start a UTF-8 character",
        "80,           unexpected continuation byte 0x80",
        "bf41,         unexpected continuation byte 0xbf",
        "c0af,         overlong encoding",
        "c1bf,         overlong encoding",
        "e080af,       overlong encoding",
        "f08080af,     overlong encoding",
        "eda080,       UTF-8-encoded surrogate",
        "edbfbf,       UTF-8-encoded surrogate",
        "eda0bdedb880, UTF-8-encoded surrogate",
        "f4908080,     code point above U+10FFFF",
        "f5808080,     byte 0xf5 cannot start a UTF-8 character",
        "e282,         truncated sequence",
        "e28241,       truncated sequence",
        "f09f98,       truncated sequence",
    })
    void invalidUtf8IsRefusedNamingTheProblem(String hex, String problem) {
        for (boolean identityOnly : new boolean[] {false, true}) {
            byte[] metadata = metadataWith(hex);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> build(metadata, identityOnly));
            assertTrue(e.getMessage().startsWith("walletMetadata is not valid UTF-8: " + problem + " at byte offset 15"),
                    e.getMessage());
            MetadataException cause = assertInstanceOf(MetadataException.class, e.getCause());
            assertEquals("walletMetadata", cause.field());
            assertEquals(e.getMessage(), cause.getMessage());
        }
    }

    @Test
    void aTruncatedSequenceAtTheEndIsRefused() {
        byte[] cut = "{\"walletId\":\"\u20ac".getBytes(StandardCharsets.UTF_8);
        byte[] metadata = java.util.Arrays.copyOf(cut, cut.length - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WalletEntry.of(SHARES, metadata));
        assertEquals("walletMetadata is not valid UTF-8: truncated sequence at byte offset 13", e.getMessage());
    }

    @Test
    void validUtf8IsKeptExactly() {
        String json = "{\"walletId\":\"w\u00e9-\u20ac-\uD83D\uDE00-\uFFFD-\uDBFF\uDFFF\"}";
        KeyStore.SecretKeyEntry e = WalletEntry.of(SHARES, json.getBytes(StandardCharsets.UTF_8));
        assertEquals(json, WalletAttributes.get(e, WalletAttributes.WALLET_METADATA));
        assertFalse(WalletAttributes.get(e, WalletAttributes.WALLET_METADATA).isEmpty());
    }

    @Test
    void fixtureMetadataIsKept() throws IOException {
        byte[] json;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/evm-2of2/wallet-metadata.json")) {
            json = in.readAllBytes();
        }
        KeyStore.SecretKeyEntry e = WalletEntry.of(SHARES, json);
        assertEquals(new String(json, StandardCharsets.UTF_8), WalletAttributes.get(e, WalletAttributes.WALLET_METADATA));
    }

    private static KeyStore.SecretKeyEntry build(byte[] metadata, boolean identityOnly) {
        return identityOnly ? WalletEntry.allowingIdentityOnly(SHARES, metadata) : WalletEntry.of(SHARES, metadata);
    }
}
