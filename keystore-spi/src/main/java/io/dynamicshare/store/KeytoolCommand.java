package io.dynamicshare.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.Locale;

/**
 * What the JDK's keytool, when it is the program running this JVM, was asked to do. keytool drives a
 * KeyStore through the ordinary API, so some of its commands cannot be told from application calls by the
 * calls alone: the {@code -list} of JDK 19 and later (JDK-8255552) asks every secret key entry for its key
 * (only to check its algorithm and size against the weak-algorithm constraints; JDK 25 does, 17 does not),
 * and {@code -importkeystore} reads every entry and hands it to a destination store that may be unable
 * to hold it, then exits 0 with nothing imported. The launcher records keytool's command line in the {@code sun.java.command} system
 * property ({@code [java.base/]sun.security.tools.keytool.Main -list -keystore ...}) on every JDK this
 * project supports; it is read once. keytool run in-process by another program is not detected: such a
 * program gets the plain KeyStore behaviour.
 */
final class KeytoolCommand {
    static final String MAIN_CLASS = "sun.security.tools.keytool.Main";
    /** Not keytool. */
    static final KeytoolCommand NONE = new KeytoolCommand(null, null, null);
    /** This JVM's, read once. */
    static final KeytoolCommand CURRENT = current();

    /** The command flag, lower case ({@code -list}), or null when this JVM is not running keytool. */
    private final String command;
    /** The value of the last {@code -storetype}/{@code -deststoretype}, or null. */
    private final String storeType;
    /** The value of the last {@code -keystore}/{@code -destkeystore}, or null. */
    private final String keystore;

    private KeytoolCommand(String command, String storeType, String keystore) {
        this.command = command;
        this.storeType = storeType;
        this.keystore = keystore;
    }

    private static KeytoolCommand current() {
        try {
            return parse(System.getProperty("sun.java.command"));
        } catch (SecurityException e) {
            return NONE;
        }
    }

    /**
     * Parses a {@code sun.java.command} value. Arguments are split at spaces (the property does not quote
     * them), which is exact for keytool's flags and store types; only a path with a space is cut short.
     * Flags match case-insensitively, as keytool matches them.
     */
    static KeytoolCommand parse(String javaCommand) {
        if (javaCommand == null) {
            return NONE;
        }
        String[] words = javaCommand.trim().split("\\s+");
        String main = words[0].substring(words[0].indexOf('/') + 1);
        if (!MAIN_CLASS.equals(main)) {
            return NONE;
        }
        String command = null;
        String storeType = null;
        String keystore = null;
        for (int i = 1; i < words.length; i++) {
            String w = words[i].toLowerCase(Locale.ROOT);
            boolean hasValue = i + 1 < words.length;
            if (w.equals("-storetype") || w.equals("-deststoretype")) {
                storeType = hasValue ? words[++i] : null;
            } else if (w.equals("-keystore") || w.equals("-destkeystore")) {
                keystore = hasValue ? words[++i] : null;
            } else if (command == null && (w.equals("-list") || w.equals("-importkeystore"))) {
                command = w;
            }
        }
        return new KeytoolCommand(command, storeType, keystore);
    }

    /** keytool -list: it asks for keys only to check their algorithm and size. */
    boolean listing() {
        return "-list".equals(command);
    }

    /** keytool -importkeystore: it reads entries with getEntry, and asks for keys only to check them. */
    boolean importing() {
        return "-importkeystore".equals(command);
    }

    /**
     * The type of the store keytool -importkeystore writes to, upper case: the {@code -deststoretype}
     * given; else, as keytool does, the type of an existing destination file (this format's magic, or
     * "another format"); else the JDK's default type ({@code keystore.type}, PKCS12 unless configured).
     */
    String importDestinationType() {
        if (storeType != null) {
            return storeType.toUpperCase(Locale.ROOT);
        }
        if (keystore != null) {
            try {
                Path file = Paths.get(keystore);
                if (Files.isRegularFile(file)) {
                    return startsWithMagic(file) ? DynamicShareKeyStoreSpi.TYPE.toUpperCase(Locale.ROOT)
                            : "NON-DYNAMICSHARE (" + file.getFileName() + ")";
                }
            } catch (InvalidPathException | IOException | SecurityException e) {
                // fall through to the default type
            }
        }
        return KeyStore.getDefaultType().toUpperCase(Locale.ROOT);
    }

    /** keytool -importkeystore into a store type other than this one. */
    boolean importsIntoAnotherType() {
        return importing() && !DynamicShareKeyStoreSpi.TYPE.equalsIgnoreCase(importDestinationType());
    }

    private static boolean startsWithMagic(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return io.dynamicshare.store.file.FileBackend.probe(in);
        }
    }
}
