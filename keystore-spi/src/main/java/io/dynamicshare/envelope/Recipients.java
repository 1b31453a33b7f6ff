package io.dynamicshare.envelope;

import io.dynamicshare.kek.WrappedKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every RecipientInfo of one entry: the KEK recipients (the data key wrapped by a KEK version, which the store
 * unwraps with), at most one branch recipient (the data key wrapped under a branch key version, hierarchical mode;
 * {@link BranchRecipient}), and the other recipients (an escrow key's, or any the store cannot use), which it
 * carries but never uses. An entry needs a recipient the store can open: at least one KEK recipient, or a branch
 * recipient. Immutable; holds no secret.
 *
 * <pre>{@code
 * Recipients direct = Recipients.of(kek.wrap(dataKey)).with(escrowRecipient);
 * Recipients hierarchical = Recipients.of(branchRecipient).with(escrowRecipient);
 * SealedEntry e = CmsEnvelope.seal(shares, binding, dek, direct);
 * }</pre>
 */
public final class Recipients {
    private final List<WrappedKey> keks;
    private final BranchRecipient branch;
    private final List<OtherRecipient> others;

    private Recipients(List<WrappedKey> keks, BranchRecipient branch, List<OtherRecipient> others) {
        if (keks.isEmpty() && branch == null) {
            throw new IllegalArgumentException("an entry needs at least one KEK recipient or a branch recipient");
        }
        this.keks = Collections.unmodifiableList(new ArrayList<>(keks));
        this.branch = branch;
        this.others = Collections.unmodifiableList(new ArrayList<>(others));
    }

    /**
     * @throws IllegalArgumentException if {@code keks} is empty
     */
    public static Recipients of(List<WrappedKey> keks, List<OtherRecipient> others) {
        return new Recipients(keks, null, others);
    }

    /**
     * @param keks   KEK recipients, possibly none when {@code branch} is given
     * @param branch the branch recipient, or null
     * @throws IllegalArgumentException if there is neither a KEK recipient nor a branch recipient
     */
    public static Recipients of(List<WrappedKey> keks, BranchRecipient branch, List<OtherRecipient> others) {
        return new Recipients(keks, branch, others);
    }

    /** One KEK recipient and nothing else (direct mode). */
    public static Recipients of(WrappedKey kek) {
        return new Recipients(Collections.singletonList(kek), null, Collections.<OtherRecipient>emptyList());
    }

    /** One branch recipient and nothing else (hierarchical mode). */
    public static Recipients of(BranchRecipient branch) {
        return new Recipients(Collections.<WrappedKey>emptyList(), branch, Collections.<OtherRecipient>emptyList());
    }

    /** These recipients and {@code other}. */
    public Recipients with(OtherRecipient other) {
        List<OtherRecipient> o = new ArrayList<>(others);
        o.add(other);
        return new Recipients(keks, branch, o);
    }

    /** The data key wrapped once per KEK version; empty only when there is a branch recipient. */
    public List<WrappedKey> keks() {
        return keks;
    }

    /** The data key wrapped under a branch key version (hierarchical mode), or null. */
    public BranchRecipient branch() {
        return branch;
    }

    /** The recipients that are not KEK or branch recipients (escrow), in the order given or read. */
    public List<OtherRecipient> others() {
        return others;
    }

    @Override
    public String toString() {
        return "Recipients{keks=" + keks + (branch == null ? "" : ", branch=" + branch) + ", others=" + others + "}";
    }
}
