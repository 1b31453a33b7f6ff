package io.dynamicshare.envelope;

import io.dynamicshare.kek.WrappedKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every RecipientInfo of one entry: the KEK recipients (the data key wrapped by a KEK version, which the store
 * unwraps with) and the other recipients (an escrow key's, or any the store cannot use), which it carries but
 * never uses. An entry needs at least one KEK recipient. Immutable; holds no secret.
 *
 * <pre>{@code
 * Recipients r = Recipients.of(kek.wrap(dataKey)).with(escrowRecipient);
 * SealedEntry e = CmsEnvelope.seal(shares, binding, dek, r);
 * }</pre>
 */
public final class Recipients {
    private final List<WrappedKey> keks;
    private final List<OtherRecipient> others;

    private Recipients(List<WrappedKey> keks, List<OtherRecipient> others) {
        if (keks.isEmpty()) {
            throw new IllegalArgumentException("an entry needs at least one KEK recipient");
        }
        this.keks = Collections.unmodifiableList(new ArrayList<>(keks));
        this.others = Collections.unmodifiableList(new ArrayList<>(others));
    }

    /**
     * @throws IllegalArgumentException if {@code keks} is empty
     */
    public static Recipients of(List<WrappedKey> keks, List<OtherRecipient> others) {
        return new Recipients(keks, others);
    }

    /** One KEK recipient and nothing else. */
    public static Recipients of(WrappedKey kek) {
        return new Recipients(Collections.singletonList(kek), Collections.<OtherRecipient>emptyList());
    }

    /** These recipients and {@code other}. */
    public Recipients with(OtherRecipient other) {
        List<OtherRecipient> o = new ArrayList<>(others);
        o.add(other);
        return new Recipients(keks, o);
    }

    /** The data key wrapped once per KEK version; never empty. */
    public List<WrappedKey> keks() {
        return keks;
    }

    /** The recipients that are not KEK recipients (escrow), in the order given or read. */
    public List<OtherRecipient> others() {
        return others;
    }

    @Override
    public String toString() {
        return "Recipients{keks=" + keks + ", others=" + others + "}";
    }
}
