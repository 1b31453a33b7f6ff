package io.dynamicshare.escrow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Recovery} did, entry by entry, and what it could authenticate. An entry is <b>authenticated</b> only
 * when the source store's key could be opened (its KEK still answers and the configuration allows it) and the
 * entry's tag verified under it. Otherwise it was opened with the escrow key alone: the key commitment and the
 * AES-GCM tag prove that its shares and metadata were sealed together under one data key, but <em>not who sealed
 * it</em>; anyone who knows the escrow public key (A1, docs/SECURITY.md) can make such an entry.
 */
public final class RecoveryReport {
    String storeId;
    long generation;
    boolean storeKeyOpened;
    String storeKeyProblem;
    Boolean fileMacVerified;
    final List<String> authenticated = new ArrayList<>();
    final List<String> unauthenticated = new ArrayList<>();
    final List<String> alreadyPresent = new ArrayList<>();
    final Map<String, String> failures = new LinkedHashMap<>();

    /** The source's store id, 32 hex digits (from the header: authenticated only if {@link #fileMacVerified}). */
    public String storeId() {
        return storeId;
    }

    /** The source's generation (from the header: authenticated only if {@link #fileMacVerified}). */
    public long generation() {
        return generation;
    }

    /** True when the source's store key opened, so every entry tag was checked. */
    public boolean storeKeyOpened() {
        return storeKeyOpened;
    }

    /** Why the store key could not be opened (a KEK deleted, not allowed, unreachable), or null. */
    public String storeKeyProblem() {
        return storeKeyProblem;
    }

    /** True or false when the store key opened and the file MAC was checked; null when it could not be. */
    public Boolean fileMacVerified() {
        return fileMacVerified;
    }

    /** Entries restored whose entry tag verified under the source's store key. */
    public List<String> authenticated() {
        return Collections.unmodifiableList(authenticated);
    }

    /** Entries restored from the escrow key alone, whose origin nothing verified: check them against the SDK. */
    public List<String> unauthenticated() {
        return Collections.unmodifiableList(unauthenticated);
    }

    /** Entries the destination already held (an earlier, interrupted run restored them): left as they are. */
    public List<String> alreadyPresent() {
        return Collections.unmodifiableList(alreadyPresent);
    }

    /** Alias to reason, for every entry not restored. */
    public Map<String, String> failures() {
        return Collections.unmodifiableMap(failures);
    }

    /** True when every entry was restored (now or earlier) and everything was authenticated. */
    public boolean complete() {
        return failures.isEmpty() && unauthenticated.isEmpty() && Boolean.TRUE.equals(fileMacVerified);
    }

    @Override
    public String toString() {
        return "RecoveryReport{store " + storeId + ", generation " + generation + ", storeKeyOpened=" + storeKeyOpened
                + ", fileMac=" + fileMacVerified + ", authenticated=" + authenticated.size() + ", unauthenticated="
                + unauthenticated.size() + ", alreadyPresent=" + alreadyPresent.size() + ", failed=" + failures.keySet()
                + "}";
    }
}
