package io.dynamicshare.kek;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The exact, versioned identity of a key-encryption key: the string a store records beside every
 * wrapped data key, and the only thing needed (with credentials) to find the key again.
 *
 * <p>Examples: {@code https://myvault.vault.azure.net/keys/wallets/0a1b2c...} for an Azure Key Vault
 * key version, {@code devkek:dskek-1} for a local development key.
 *
 * <pre>{@code
 * KekId id = KekId.of("https://myvault.vault.azure.net/keys/wallets/0a1b2c");
 * }</pre>
 */
public final class KekId {
    private final String value;

    private KekId(String value) {
        this.value = value;
    }

    /** Returns the id for a non-empty string with no whitespace or control characters. */
    public static KekId of(String value) {
        Objects.requireNonNull(value, "KEK id");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("KEK id is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("KEK id has whitespace or a control character: " + value.trim());
            }
        }
        return new KekId(value);
    }

    /** Decodes the UTF-8 form written into CMS key identifiers. */
    public static KekId fromBytes(byte[] utf8) {
        return of(new String(utf8, StandardCharsets.UTF_8));
    }

    /** The UTF-8 form used as a CMS key identifier. */
    public byte[] toBytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The URI scheme ({@code https}, {@code devkek}, ...), which selects the key service. */
    public String scheme() {
        int colon = value.indexOf(':');
        return colon < 0 ? "" : value.substring(0, colon);
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KekId && ((KekId) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
