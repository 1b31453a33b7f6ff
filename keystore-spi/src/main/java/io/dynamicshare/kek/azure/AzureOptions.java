package io.dynamicshare.kek.azure;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;

/** Reads the numeric {@code azure.*} options with their bounds. */
final class AzureOptions {
    private AzureOptions() {
    }

    static int integer(StoreConfig config, String key, int dflt, int min, int max) throws ConfigException {
        String v = config.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number from " + min + " to " + max + ", got '" + v + "' ("
                    + config.source() + ")");
        }
    }
}
