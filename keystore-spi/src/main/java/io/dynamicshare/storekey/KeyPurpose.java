package io.dynamicshare.storekey;

import io.dynamicshare.kek.PssSignatures;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What an anchored key is for: the store key or a branch key (docs/FORMAT.md, "Labels"). Both are 32 random bytes
 * wrapped by the KEK as {@code key || purposeTag} (64 bytes) and, for an RSA KEK, signed; the purpose label is in
 * the purpose tag, the commitment and the signed statement, so a block made for one purpose never opens as the
 * other, nor for another store or number (a store key's epoch, a branch key's version).
 *
 * <pre>{@code
 * byte[] tag = KeyPurpose.BRANCH_KEY.purposeTag(storeId, 2);   // SHA-256(label || storeId || u64 2)
 * }</pre>
 */
public final class KeyPurpose {
    /** The store key; its number is the key epoch. */
    public static final KeyPurpose STORE_KEY = new KeyPurpose("DynamicShareKeyStore/2 store key",
            "DynamicShareKeyStore/2 store key commitment", "store key", "epoch");
    /** A branch key (hierarchical mode); its number is the branch key version. */
    public static final KeyPurpose BRANCH_KEY = new KeyPurpose("DynamicShareKeyStore/3 branch key",
            "DynamicShareKeyStore/3 branch key commitment", "branch key", "version");

    private final String label;
    private final byte[] commitmentLabel;
    private final String name;
    private final String numberName;

    private KeyPurpose(String label, String commitmentLabel, String name, String numberName) {
        this.label = label;
        this.commitmentLabel = commitmentLabel.getBytes(StandardCharsets.US_ASCII);
        this.name = name;
        this.numberName = numberName;
    }

    /** The ASCII label: the purpose tag's prefix and the signed statement's {@code purpose}. */
    public String label() {
        return label;
    }

    /** The message of the key's commitment, {@code HMAC(key, commitmentLabel)}. */
    byte[] commitmentLabel() {
        return commitmentLabel.clone();
    }

    /** For messages: "store key", "branch key". */
    public String keyName() {
        return name;
    }

    /** For messages: "epoch", "version". */
    public String numberName() {
        return numberName;
    }

    /** {@code SHA-256(label || storeId || u64(number))}: the last 32 of the 64 wrapped bytes. */
    public byte[] purposeTag(byte[] storeId, long number) {
        byte[] p = label.getBytes(StandardCharsets.US_ASCII);
        byte[] input = Arrays.copyOf(p, p.length + storeId.length + 8);
        System.arraycopy(storeId, 0, input, p.length, storeId.length);
        for (int i = 7; i >= 0; i--) {
            input[p.length + storeId.length + i] = (byte) number;
            number >>>= 8;
        }
        return PssSignatures.sha256(input);
    }

    @Override
    public String toString() {
        return name;
    }
}
