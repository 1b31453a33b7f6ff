package io.dynamicshare.envelope;

import io.dynamicshare.kek.WrappedKey;

import javax.crypto.spec.GCMParameterSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One encrypted entry, parsed once: what it is bound to, who can unwrap its data key, and the GCM inputs
 * laid out for a single {@code doFinal}. Immutable and safe to share between threads; it holds no secret.
 * Obtain one from {@link CmsEnvelope#seal} or {@link CmsEnvelope#parse}; {@link CmsEnvelope#encode} writes it.
 */
public final class SealedEntry {
    private final EntryBinding binding;
    private final List<WrappedKey> recipients;
    /** Null unless the data key is wrapped under a branch key (hierarchical mode). */
    private final BranchRecipient branch;
    private final byte[] nonce;
    private final byte[] aad;
    private final byte[] ciphertextAndTag;
    /** The nonce as the Cipher takes it, made once: GCMParameterSpec is immutable (it copies the nonce). */
    private final GCMParameterSpec gcmParameters;

    SealedEntry(EntryBinding binding, List<WrappedKey> recipients, BranchRecipient branch, byte[] nonce, byte[] aad,
                byte[] ciphertextAndTag) {
        if (recipients.isEmpty() && branch == null) {
            throw new IllegalArgumentException("an entry needs at least one recipient");
        }
        this.binding = binding;
        this.recipients = Collections.unmodifiableList(new ArrayList<>(recipients));
        this.branch = branch;
        this.nonce = nonce;
        this.aad = aad;
        this.ciphertextAndTag = ciphertextAndTag;
        this.gcmParameters = new GCMParameterSpec(AesGcm.TAG_LENGTH * 8, nonce);
    }

    public EntryBinding binding() {
        return binding;
    }

    /** The wrapped data key, once per KEK that can open this entry; empty for an entry only a branch key opens. */
    public List<WrappedKey> recipients() {
        return recipients;
    }

    /** The data key wrapped under a branch key version (hierarchical mode), or null. */
    public BranchRecipient branchRecipient() {
        return branch;
    }

    /** The same entry with its data key wrapped for other KEKs (and no branch recipient); ciphertext and binding are untouched. */
    public SealedEntry withRecipients(List<WrappedKey> newRecipients) {
        return withRecipients(newRecipients, null);
    }

    /**
     * The same entry with exactly these recipients: KEK recipients (possibly none) and a branch recipient (or
     * null); ciphertext and binding are untouched.
     *
     * @throws IllegalArgumentException if there would be no recipient at all
     */
    public SealedEntry withRecipients(List<WrappedKey> kekRecipients, BranchRecipient branchRecipient) {
        return new SealedEntry(binding, kekRecipients, branchRecipient, nonce, aad, ciphertextAndTag);
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
