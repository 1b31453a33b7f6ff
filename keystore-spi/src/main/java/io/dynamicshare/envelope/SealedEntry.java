package io.dynamicshare.envelope;

import io.dynamicshare.kek.WrappedKey;

import javax.crypto.spec.GCMParameterSpec;
import java.util.List;

/**
 * One encrypted entry, parsed once: what it is bound to, who can unwrap its data key, and the GCM inputs
 * laid out for a single {@code doFinal}. Immutable and safe to share between threads; it holds no secret.
 * Obtain one from {@link CmsEnvelope#seal} or {@link CmsEnvelope#parse}; {@link CmsEnvelope#encode} writes it.
 */
public final class SealedEntry {
    private final EntryBinding binding;
    private final List<WrappedKey> recipients;
    private final Recipients all;
    private final byte[] nonce;
    private final byte[] aad;
    private final byte[] ciphertextAndTag;
    /** The nonce as the Cipher takes it, made once: GCMParameterSpec is immutable (it copies the nonce). */
    private final GCMParameterSpec gcmParameters;

    SealedEntry(EntryBinding binding, Recipients recipients, byte[] nonce, byte[] aad, byte[] ciphertextAndTag) {
        this.binding = binding;
        this.all = recipients;
        this.recipients = recipients.keks();
        this.nonce = nonce;
        this.aad = aad;
        this.ciphertextAndTag = ciphertextAndTag;
        this.gcmParameters = new GCMParameterSpec(AesGcm.TAG_LENGTH * 8, nonce);
    }

    public EntryBinding binding() {
        return binding;
    }

    /**
     * The wrapped data key, once per KEK that can open this entry (the KEK recipients); empty for an entry only its
     * branch recipient opens (hierarchical mode).
     */
    public List<WrappedKey> recipients() {
        return recipients;
    }

    /** The data key wrapped under a branch key version (hierarchical mode), or null. */
    public BranchRecipient branchRecipient() {
        return all.branch();
    }

    /** The recipients that are not KEK recipients (an escrow key's): carried, never used by the store. */
    public List<OtherRecipient> otherRecipients() {
        return all.others();
    }

    /** Every recipient: {@link #recipients()}, {@link #branchRecipient()} and {@link #otherRecipients()}. */
    public Recipients allRecipients() {
        return all;
    }

    /**
     * The same entry with its data key wrapped for other recipients (all of them: those not in
     * {@code newRecipients} are dropped); ciphertext and binding are untouched.
     */
    public SealedEntry withRecipients(Recipients newRecipients) {
        return new SealedEntry(binding, newRecipients, nonce, aad, ciphertextAndTag);
    }

    /**
     * An opaque id of the write that made this entry: the hex of its 96-bit GCM nonce, fresh for every seal
     * (and kept by a rewrap, which changes no content). What a compare-and-set compares.
     */
    public String version() {
        StringBuilder b = new StringBuilder(nonce.length * 2);
        for (byte x : nonce) {
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }

    /** Size of the encrypted shares, without the tag. */
    public int ciphertextLength() {
        return ciphertextAndTag.length - AesGcm.TAG_LENGTH;
    }

    byte[] nonce() {
        return nonce;
    }

    GCMParameterSpec gcmParameters() {
        return gcmParameters;
    }

    byte[] aad() {
        return aad;
    }

    byte[] ciphertextAndTag() {
        return ciphertextAndTag;
    }
}
