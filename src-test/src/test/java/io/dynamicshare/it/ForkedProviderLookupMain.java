package io.dynamicshare.it;

import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;

/**
 * Runs in a forked JVM whose java.security override names the DynamicShare provider with a configuration
 * that cannot be loaded. Looks the KeyStore type up twice (one warning is expected, not one per lookup),
 * and prints each failure's whole cause chain on one line: {@code attempt N chain: A | B | C}. Then shows
 * that the JVM's other providers are unaffected.
 */
public final class ForkedProviderLookupMain {
    private ForkedProviderLookupMain() {
    }

    public static void main(String[] args) throws Exception {
        for (int attempt = 1; attempt <= 2; attempt++) {
            StringBuilder chain = new StringBuilder();
            try {
                KeyStore.getInstance("DynamicShareKeyStore");
                chain.append("no error");
            } catch (Exception e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    chain.append(chain.length() == 0 ? "" : " | ").append(t);
                }
            }
            System.out.println("attempt " + attempt + " chain: " + chain);
        }
        KeyStore.getInstance("PKCS12");
        Provider[] all = Security.getProviders();
        System.out.println("other providers unaffected: PKCS12 found, " + all.length + " providers");
    }
}
