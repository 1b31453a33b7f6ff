package io.dynamicshare.store;

/** The common prefix of every per-entry message, so each error names its alias the same way. */
final class Messages {
    private Messages() {
    }

    static String alias(String alias) {
        return "alias '" + alias + "': ";
    }
}
