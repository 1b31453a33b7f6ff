package io.dynamicshare.entry;

import java.security.KeyStore;
import java.util.Objects;

/**
 * A protection parameter that turns {@code setEntry} into a compare-and-set through the plain {@link KeyStore}
 * API: the entry is written only if the one under the alias is still the write named by {@code expectedVersion}
 * (its {@link WalletAttributes#ENTRY_VERSION}); otherwise a {@code KeyStoreException}
 * ({@code io.dynamicshare.store.EntryConflictException}) and nothing is written. Entries are protected by the KEK,
 * so this carries no password.
 *
 * <pre>{@code
 * KeyStore.SecretKeyEntry e = (KeyStore.SecretKeyEntry) ks.getEntry(alias, null);
 * String version = WalletAttributes.get(e, WalletAttributes.ENTRY_VERSION);
 * ks.setEntry(alias, updated, new ReplaceIfUnchanged(version));
 * }</pre>
 */
public final class ReplaceIfUnchanged implements KeyStore.ProtectionParameter {
    private final String expectedVersion;

    /** @param expectedVersion the entry version that was read (24 hex digits) */
    public ReplaceIfUnchanged(String expectedVersion) {
        this.expectedVersion = Objects.requireNonNull(expectedVersion, "expectedVersion");
    }

    public String expectedVersion() {
        return expectedVersion;
    }

    @Override
    public String toString() {
        return "ReplaceIfUnchanged{" + expectedVersion + "}";
    }
}
