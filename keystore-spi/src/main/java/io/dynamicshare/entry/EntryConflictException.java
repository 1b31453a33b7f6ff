package io.dynamicshare.entry;

import java.security.KeyStoreException;

/**
 * A compare-and-set update found the entry changed since it was read: another writer replaced or deleted it.
 * Nothing was written. Read the entry again, apply the update to what is there now, and try again.
 */
public final class EntryConflictException extends KeyStoreException {
    private static final long serialVersionUID = 1L;

    public EntryConflictException(String message) {
        super(message);
    }
}
