package io.dynamicshare.store;

import java.security.KeyStore;
import java.security.KeyStoreException;

/**
 * What a protection parameter means here. Entries are protected by the KEK, not by passwords: a
 * {@link KeyStore.PasswordProtection} is accepted (containers such as Tomcat always pass one) and its
 * password is neither checked nor stored. Asking for a password-based algorithm, or for another kind of
 * protection, is refused: it asks for something this store does not do.
 */
final class Protections {
    private Protections() {
    }

    static void check(String alias, KeyStore.ProtectionParameter p) throws KeyStoreException {
        if (p == null || p instanceof io.dynamicshare.entry.ReplaceIfUnchanged) {
            return;
        }
        if (p instanceof KeyStore.PasswordProtection) {
            if (((KeyStore.PasswordProtection) p).getProtectionAlgorithm() != null) {
                throw new KeyStoreException(Messages.alias(alias) + "a password protection algorithm was requested ("
                        + ((KeyStore.PasswordProtection) p).getProtectionAlgorithm() + "), but entries are protected "
                        + "by the KEK, not by passwords");
            }
            return;
        }
        throw new KeyStoreException(Messages.alias(alias) + p.getClass().getSimpleName() + " is not supported: "
                + "entries are protected by the KEK; pass null or a PasswordProtection (its password is ignored)");
    }
}
