package io.dynamicshare.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The process exit codes of every command; {@link #descriptions()} is printed in each {@code --help} footer. */
final class ExitCodes {
    static final int OK = 0;
    /** The operation failed: verify found bad entries, a key service or I/O error, an alias already in use. */
    static final int FAILED = 1;
    /** Bad options, invalid input or configuration, or a confirmation refused or missing. */
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    /** The store file was tampered with or is corrupt: its integrity check failed. */
    static final int INTEGRITY = 4;
    /** Another writer stored the store since this command loaded it; nothing was written: run the command again. */
    static final int CONFLICT = 5;

    private ExitCodes() {
    }

    static Map<String, String> descriptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(String.valueOf(OK), "Success.");
        m.put(String.valueOf(FAILED), "Operation failed (e.g. verify found bad entries, key service or I/O error).");
        m.put(String.valueOf(USAGE), "Usage error, invalid input or configuration, or refused confirmation.");
        m.put(String.valueOf(NOT_FOUND), "Alias or store not found.");
        m.put(String.valueOf(INTEGRITY), "Store integrity failure (tampered or corrupt store file).");
        m.put(String.valueOf(CONFLICT), "Another writer stored the store meanwhile; nothing was written: run again.");
        return Collections.unmodifiableMap(m);
    }
}
