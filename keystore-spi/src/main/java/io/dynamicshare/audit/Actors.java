package io.dynamicshare.audit;

import javax.security.auth.Subject;
import java.lang.reflect.Method;
import java.security.AccessController;
import java.security.Principal;
import java.util.Set;

/**
 * Who is acting: the principals of the current {@link Subject}, else the configured application identity.
 * Java 18+ has {@code Subject.current()}; on JDK 23+ the older lookup throws, so the new one is tried
 * first, by reflection because this code compiles for Java 8.
 */
public final class Actors {
    private static final Method CURRENT = currentMethod();

    private Actors() {
    }

    private static Method currentMethod() {
        try {
            return Subject.class.getMethod("current");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The actor string for audit events. */
    public static String current(String applicationIdentity) {
        Subject s = subject();
        if (s != null) {
            Set<Principal> principals = s.getPrincipals();
            if (!principals.isEmpty()) {
                StringBuilder b = new StringBuilder();
                for (Principal p : principals) {
                    if (b.length() > 0) {
                        b.append(',');
                    }
                    b.append(p.getName());
                }
                return b.toString();
            }
        }
        return applicationIdentity;
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static Subject subject() {
        try {
            if (CURRENT != null) {
                return (Subject) CURRENT.invoke(null);
            }
            return Subject.getSubject(AccessController.getContext());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
