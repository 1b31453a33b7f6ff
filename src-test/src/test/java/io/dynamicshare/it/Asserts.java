package io.dynamicshare.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message assertions that say what was expected and what came. */
public final class Asserts {
    private Asserts() {
    }

    public static void assertContains(String actual, String... parts) {
        assertNotNull(actual, "message is null");
        for (String p : parts) {
            assertTrue(actual.contains(p), () -> "expected \"" + p + "\" in: " + actual);
        }
    }
}
