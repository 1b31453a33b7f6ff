package io.dynamicshare.escrow;

import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.OtherRecipient;
import io.dynamicshare.envelope.Recipients;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.store.Messages;

import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one rule for an entry's recipient list, used by every write that wraps a data key ({@code setEntry},
 * {@code rewrap}, {@code rekey}): the KEK recipient (direct mode) or the branch recipient (hierarchical mode), plus a
 * recipient for the configured escrow key when there is one (docs/FORMAT.md, "Escrow recipient"), in either mode:
 * recovery without the vault does not depend on the mode. Recipients of an escrow key no longer configured are not carried over,
 * so rotating the escrow key is: configure the new one, {@code rewrap}, {@code verify}.
 *
 * <pre>{@code
 * Recipients r = EscrowRecipients.forEntry(config.escrow(), kek.wrap(dk), dek, alias);
 * Recipients h = EscrowRecipients.forEntry(config.escrow(), Recipients.of(branchRecipient), dek, alias);
 * SealedEntry e = CmsEnvelope.seal(shares, binding, dek, r);
 * }</pre>
 */
public final class EscrowRecipients {
    private EscrowRecipients() {
    }

    /**
     * @param escrow the configured escrow key, or null for none
     * @param kek    the data key wrapped by the write KEK
     * @param dek    the data key (read, not kept)
     * @param alias  named in the error
     * @throws KeyStoreException naming the alias if the escrow wrap fails (no key service is involved)
     */
    public static Recipients forEntry(EscrowKey escrow, WrappedKey kek, DataKey dek, String alias)
            throws KeyStoreException {
        return forEntry(escrow, Recipients.of(kek), dek, alias);
    }

    /**
     * @param escrow the configured escrow key, or null for none
     * @param store  the recipients the store opens the entry with: a KEK recipient, or a branch recipient
     *               (hierarchical mode); they must carry no other recipient
     * @param dek    the data key (read, not kept)
     * @param alias  named in the error
     * @throws KeyStoreException naming the alias if the escrow wrap fails (no key service is involved)
     */
    public static Recipients forEntry(EscrowKey escrow, Recipients store, DataKey dek, String alias)
            throws KeyStoreException {
        if (!store.others().isEmpty()) {
            throw new IllegalArgumentException("the store's recipients carry no escrow recipient yet");
        }
        Recipients r = store;
        if (escrow == null) {
            return r;
        }
        byte[] k = dek.getEncoded();
        try {
            return r.with(escrow.wrap(k));
        } catch (GeneralSecurityException e) {
            KeyStoreException x = new KeyStoreException(Messages.alias(alias) + "cannot wrap the data key for the "
                    + "escrow key " + escrow.id() + ": " + e.getMessage());
            x.initCause(e);
            throw x;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /**
     * True when the entry's other recipients are exactly what {@link #forEntry} writes now: one for the configured
     * escrow key, or none when no escrow key is configured. {@code rewrap} rewrites the entries for which it is false.
     */
    public static boolean upToDate(EscrowKey escrow, SealedEntry entry) {
        java.util.List<OtherRecipient> others = entry.otherRecipients();
        return escrow == null ? others.isEmpty() : others.size() == 1 && escrow.matches(others.get(0));
    }

    /** Counts, for {@code inventory}, which entries carry the configured escrow key's recipient and which other ones. */
    public static EscrowInventory inventory(EscrowKey escrow, Collection<SealedEntry> entries) {
        Map<String, Integer> byKey = new TreeMap<>();
        int with = 0;
        for (SealedEntry e : entries) {
            boolean configured = false;
            for (OtherRecipient o : e.otherRecipients()) {
                byKey.merge(EscrowKey.describe(o), 1, Integer::sum);
                configured |= escrow != null && escrow.matches(o);
            }
            if (configured) {
                with++;
            }
        }
        return new EscrowInventory(escrow == null ? null : escrow.id(), with, entries.size() - with, byKey);
    }
}
