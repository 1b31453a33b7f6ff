package io.dynamicshare.it;

import io.dynamicshare.entry.WalletEntry;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Collections;

/**
 * Runs in a forked JVM that registers nothing in code: the provider must come from the java.security
 * override file alone. Args: existing store, new store to write, metadata file, shares file.
 */
public final class ForkedRegistrationMain {
    private ForkedRegistrationMain() {
    }

    public static void main(String[] args) throws Exception {
        KeyStore ks = KeyStore.getInstance("DynamicShareKeyStore");
        Provider p = ks.getProvider();
        System.out.println("provider=" + p.getName() + " position=" + indexOf(p));
        try (InputStream in = new FileInputStream(args[0])) {
            ks.load(in, null);
        }
        System.out.println("aliases=" + Collections.list(ks.aliases()));
        KeyStore fresh = KeyStore.getInstance("DynamicShareKeyStore");
        fresh.load(null, null);
        fresh.setEntry("forked", WalletEntry.of(Files.readAllBytes(Paths.get(args[3])), Files.readAllBytes(Paths.get(args[2]))), null);
        try (OutputStream out = new FileOutputStream(args[1])) {
            fresh.store(out, null);
        }
        System.out.println("wrote=" + args[1]);
    }

    private static int indexOf(Provider p) {
        Provider[] all = Security.getProviders();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == p) {
                return i + 1;
            }
        }
        return -1;
    }
}
