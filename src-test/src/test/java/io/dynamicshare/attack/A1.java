package io.dynamicshare.attack;

import org.bouncycastle.asn1.cms.RecipientInfo;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Attacker A1 of docs/SECURITY.md: writes the store file and knows the KEK's public key and version id, nothing
 * more. Everything here is computed from those two and the victim's file bytes; the secrets it uses are its own.
 */
final class A1 {
    final PublicKey publicKey;
    final String kekVersion;
    /** A1's own store key (format 2) or MAC key (format 1). */
    final byte[] ownKey = AttackerCms.random(32);

    A1(PublicKey publicKey, String kekVersion) {
        this.publicKey = publicKey;
        this.kekVersion = kekVersion;
    }

    /**
     * Format 2: puts A1's own store key in place of the victim's, wrapped with the public key (64 bytes: key and
     * purpose tag, as a genuine block), commits to it, lets {@code edit} change the block (signatures, commitment,
     * recipients), and recomputes every entry tag and the file MAC with it.
     */
    byte[] forgeV2(ForgedStore s, UnaryOperator<StoreCrypto.Block> edit) throws GeneralSecurityException {
        long epoch = s.block().epoch();
        StoreCrypto.Block own = new StoreCrypto.Block(epoch,
                StoreCrypto.commitment(ownKey, StoreCrypto.STORE_KEY_COMMITMENT_LABEL),
                List.of(AttackerCms.rsaRecipient(kekVersion, publicKey,
                        StoreCrypto.storeKeyPlaintext(ownKey, s.storeId, epoch))), List.of());
        s.header = edit.apply(own).encode();
        return s.sealV2(ownKey, epoch);
    }

    /** Format 1: A1's own MAC key wrapped with the public key, and the MAC recomputed with it. */
    byte[] forgeV1(ForgedStore s) throws GeneralSecurityException {
        s.header = ForgedStore.recipientSet(List.of(macKeyRecipient()));
        return s.sealV1(ownKey);
    }

    /** A1's MAC key, wrapped with the public key under the victim's KEK id. */
    RecipientInfo macKeyRecipient() throws GeneralSecurityException {
        return AttackerCms.rsaRecipient(kekVersion, publicKey, ownKey);
    }

    /** A perfectly valid entry: {@code shares} under a data key of A1's own, wrapped with the public key. */
    byte[] entry(AttackerCms.Binding binding, byte[] shares) throws GeneralSecurityException {
        byte[] dataKey = AttackerCms.random(32);
        return AttackerCms.seal(binding, dataKey, shares,
                List.of(AttackerCms.rsaRecipient(kekVersion, publicKey, dataKey)));
    }
}
