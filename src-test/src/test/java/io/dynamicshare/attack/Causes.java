package io.dynamicshare.attack;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions over exceptions: their messages and cause chains. */
final class Causes {
    private Causes() {
    }

    /** The first exception of {@code type} in {@code e}'s cause chain; fails, showing the chain, when there is none. */
    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        List<String> chain = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            chain.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        return fail("no " + type.getSimpleName() + " in the cause chain " + chain);
    }

    static void assertContains(String actual, String... parts) {
        assertNotNull(actual, "message is null");
        for (String p : parts) {
            assertTrue(actual.contains(p), () -> "expected \"" + p + "\" in: " + actual);
        }
    }

    /** Every message in the chain, joined: what a log line or the CLI's error would show. */
    static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append(" | ");
        }
        return b.toString();
    }
}
