package io.dynamicshare.cli;

import io.dynamicshare.config.ConfigException;
import io.dynamicshare.metadata.MetadataException;
import io.dynamicshare.store.StoreIntegrityException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * Maps the library's exceptions to an exit code and a one-line message. The library's messages already
 * name the alias and the KEK and never carry secrets, so they are shown as they are.
 */
final class Failures {
    private Failures() {
    }

    /** Any failure of a command. */
    static CliException of(Throwable e) {
        if (e instanceof CliException) {
            return (CliException) e;
        }
        String message = message(e);
        if (find(e, StoreIntegrityException.class) != null) {
            // A damaged stored entry (its metadata), whatever the call that met it: the file, not the input.
            return new CliException(ExitCodes.INTEGRITY, message, e);
        }
        if (find(e, MetadataException.class) != null) {
            // The input (SDK JSON, scheme name) is what is wrong: fixed by changing the invocation.
            return new CliException(ExitCodes.USAGE, message, e);
        }
        if (find(e, ConfigException.class) != null) {
            return new CliException(ExitCodes.USAGE, message, e);
        }
        return new CliException(ExitCodes.FAILED, message, e);
    }

    /**
     * A failed {@code load}: a bad file (integrity tag, magic, truncation, corrupt or misbound entry) is 4;
     * a missing file 3; a key service that cannot unwrap, or a file that cannot be read, is 1.
     */
    static CliException load(Object file, IOException e) {
        String message = file + ": " + message(e);
        if (find(e, StoreIntegrityException.class) != null) {
            return new CliException(ExitCodes.INTEGRITY, message, e);
        }
        if (find(e, NoSuchFileException.class) != null) {
            return new CliException(ExitCodes.NOT_FOUND, "no store at " + file, e);
        }
        if (find(e, GeneralSecurityException.class) != null) {
            return new CliException(ExitCodes.FAILED, "cannot open the store " + message, e);
        }
        return new CliException(ExitCodes.FAILED, "cannot read the store " + message, e);
    }

    /** The exception's message on one line, or its type when it has none. */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.trim().isEmpty()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
