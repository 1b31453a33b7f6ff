package io.dynamicshare.cli;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;

import javax.security.auth.DestroyFailedException;

/** Reading a wallet's shares out of the store, and wiping them again. */
final class Shares {
    private Shares() {
    }

    /**
     * The shares JSON of {@code alias}: a fresh array the caller must {@link Bytes#zero zero}. The key object
     * that held them is destroyed before this returns.
     */
    static byte[] read(KeyStore ks, String alias) throws GeneralSecurityException {
        KeyStore.Entry entry = ks.getEntry(alias, null);
        if (!(entry instanceof KeyStore.SecretKeyEntry)) {
            throw new KeyStoreException("alias '" + alias + "': no wallet is stored under this alias");
        }
        try {
            return ((KeyStore.SecretKeyEntry) entry).getSecretKey().getEncoded();
        } finally {
            destroy(entry);
        }
    }

    /** Zeroes the shares an entry holds (a WalletShareKey always can). */
    static void destroy(KeyStore.Entry entry) {
        if (entry instanceof KeyStore.SecretKeyEntry) {
            try {
                ((KeyStore.SecretKeyEntry) entry).getSecretKey().destroy();
            } catch (DestroyFailedException e) {
                // Only keys of other types refuse; WalletShareKey always zeroes.
            }
        }
    }
}
