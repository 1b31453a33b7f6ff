package io.dynamicshare.audit;

import javax.security.auth.Subject;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.AccessControlContext;
import java.security.AccessController;
import java.security.Principal;
import java.util.Iterator;
import java.util.Set;

/**
 * Who is acting: the principals of the current {@link Subject}, else the configured application identity.
 * Java 18+ has {@code Subject.current()}; on JDK 23+ the older lookup throws, so the new one is tried
 * first, through a constant method handle because this code compiles for Java 8 (the JIT then calls it
 * directly: no reflection per call).
 *
 * <p>Cost: on Java 18+ {@code Subject.current()} is cheap (on 23+ a scoped-value read). Before 18 the only
 * way to see a {@code Subject.doAs} is {@link AccessController#getContext()}, which walks the caller's
 * stack: its cost grows with stack depth (about 0.5 µs for a shallow stack on JDK 17).
 */
public final class Actors {
    private static final MethodHandle CURRENT = currentHandle();

    private Actors() {
    }

    private static MethodHandle currentHandle() {
        try {
            return MethodHandles.publicLookup().findStatic(Subject.class, "current",
                    MethodType.methodType(Subject.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** The actor string for audit events. */
    public static String current(String applicationIdentity) {
        Subject s = subject();
        if (s != null) {
            Set<Principal> principals = s.getPrincipals();
            if (!principals.isEmpty()) {
                Iterator<Principal> it = principals.iterator();
                String first = it.next().getName();
                if (!it.hasNext()) {
                    return first;
                }
                StringBuilder b = new StringBuilder(first);
                while (it.hasNext()) {
                    b.append(',').append(it.next().getName());
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
                return (Subject) CURRENT.invokeExact();
            }
            AccessControlContext acc = AccessController.getContext();
            try {
                // Outside Subject.doAs there is no domain combiner: answer without Subject.getSubject's
                // privileged action.
                if (acc.getDomainCombiner() == null) {
                    return null;
                }
            } catch (SecurityException e) {
                // A security manager that denies getDomainCombiner: Subject.getSubject asks with privilege.
            }
            return Subject.getSubject(acc);
        } catch (RuntimeException e) {
            return null;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }
}
