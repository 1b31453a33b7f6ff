package io.dynamicshare.dropin;

import javax.crypto.spec.SecretKeySpec;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Run by {@link DropInForkedJvm} in a JVM whose class path is only this class and the drop-in jar: writes one
 * entry to a new store with the KEK the configuration names, as an application would.
 *
 * <p>Arguments: configuration file, shares file, metadata file, output store. Prints {@code STORED} on
 * success, else {@code FAILED} and the exception chain (exit 3). Every JUL record of the (shaded) Azure SDK
 * is echoed on stdout as {@code JUL <level> <logger>: <message>} by a handler on the root logger.
 */
public final class DropInAzureMain {
    private DropInAzureMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> azureRecords = Collections.synchronizedList(new ArrayList<>());
        Logger.getLogger("").addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName() != null && r.getLoggerName().contains("com.azure")) {
                    azureRecords.add("JUL " + r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        PrintStream out = System.out;
        int exit = 0;
        try {
            Provider provider = ((Provider) Class.forName("io.dynamicshare.provider.DynamicShareProvider")
                    .getConstructor().newInstance()).configure(args[0]);
            byte[] shares = Files.readAllBytes(Path.of(args[1]));
            String metadata = new String(Files.readAllBytes(Path.of(args[2])), StandardCharsets.UTF_8);
            KeyStore.Entry.Attribute attribute = new KeyStore.Entry.Attribute() {
                @Override
                public String getName() {
                    return "dynamicshare.walletMetadata";
                }

                @Override
                public String getValue() {
                    return metadata;
                }
            };
            KeyStore ks = KeyStore.getInstance("DynamicShareKeyStore", provider);
            ks.load(null, null);
            ks.setEntry("w", new KeyStore.SecretKeyEntry(new SecretKeySpec(shares, "RAW"), Set.of(attribute)), null);
            try (OutputStream o = Files.newOutputStream(Path.of(args[3]))) {
                ks.store(o, null);
            }
            out.println("STORED");
        } catch (Throwable t) {
            out.println("FAILED");
            t.printStackTrace(out);
            exit = 3;
        }
        synchronized (azureRecords) {
            azureRecords.forEach(out::println);
        }
        out.flush();
        System.exit(exit);
    }
}
