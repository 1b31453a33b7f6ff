package io.dynamicshare.kek;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Strict mode: which KEKs a store may contact, decided by configuration alone, never by the store. In the
 * spirit of the AWS Encryption SDK's strict mode, every KEK id read from a store (store key block,
 * signature, entry recipient) is checked here before any key service is asked about it.
 *
 * <p>Allowed are the write key {@code kek} and every item of {@code kek.allow}. An item is
 * <ul>
 *   <li>a key name ({@code https://v.vault.azure.net/keys/wallets}, {@code devkek:quickstart}): any version
 *       of that key ({@code <name>/<version>});</li>
 *   <li>an exact version ({@code https://v.vault.azure.net/keys/wallets/0a1b2c}, {@code devkek:quickstart/v2}):
 *       that version only;</li>
 *   <li>a vault, ending in {@code /} ({@code https://old-vault.vault.azure.net/}): any key in it.</li>
 * </ul>
 * Ids are compared as written (exact strings), so a near miss fails closed.
 *
 * <pre>{@code
 * KekPolicy p = KekPolicy.of("https://v.vault.azure.net/keys/wallets", Arrays.asList("devkek:old"), "app.properties");
 * p.check(KekId.of("https://v.vault.azure.net/keys/wallets/0a1b"));   // passes
 * p.check(KekId.of("https://127.0.0.1:8443/keys/x/1"));              // KekNotAllowedException
 * }</pre>
 */
public final class KekPolicy {
    private final String writeKek;
    private final List<String> allowed;
    private final String source;

    private KekPolicy(String writeKek, List<String> allowed, String source) {
        this.writeKek = writeKek;
        this.allowed = allowed;
        this.source = source;
    }

    /**
     * @param writeKek the configured {@code kek}, or null for a read-only store
     * @param allow    the items of {@code kek.allow}
     * @param source   where the configuration came from, for messages
     */
    public static KekPolicy of(String writeKek, List<String> allow, String source) {
        List<String> all = new ArrayList<>();
        if (writeKek != null) {
            all.add(writeKek);
        }
        all.addAll(allow);
        return new KekPolicy(writeKek, Collections.unmodifiableList(all), source);
    }

    /** The key new entries, updates, rewraps and store keys wrap to, or null: the store is then read-only. */
    public String writeKek() {
        return writeKek;
    }

    /** True when {@code id} is the write key, one of its versions, or matches an item of {@code kek.allow}. */
    public boolean allows(KekId id) {
        String v = id.value();
        for (String item : allowed) {
            if (item.endsWith("/") ? v.startsWith(item) : v.equals(item) || isVersionOf(v, item)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code <keyName>/<version>} with a plain version: 1 to 64 letters, digits, '-' or '_' (Key Vault versions are
     * 32 hex digits, development ones {@code v<n>}). Nothing that a URL resolver could read as another path
     * ({@code ..}, {@code %2e}, {@code ?}, {@code #}, a further {@code /}) passes.
     */
    private static boolean isVersionOf(String id, String keyName) {
        int from = keyName.length() + 1;
        if (id.length() <= from || id.length() > from + 64 || !id.startsWith(keyName) || id.charAt(from - 1) != '/') {
            return false;
        }
        for (int i = from; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * @throws KekNotAllowedException naming the id, what is allowed and the setting to change
     */
    public void check(KekId id) throws KekNotAllowedException {
        if (!allows(id)) {
            throw new KekNotAllowedException(id.value(), "the store names a KEK that the configuration does not "
                    + "allow, so it is not contacted; allowed: " + (allowed.isEmpty() ? "nothing ('kek' is not set)"
                    : allowed) + ". If this key is yours, add it to 'kek.allow' in " + source);
        }
    }
}
