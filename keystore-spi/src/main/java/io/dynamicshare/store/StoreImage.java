package io.dynamicshare.store;

import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.kek.WrappedKey;

import java.util.List;

/**
 * A whole store as the container holds it: identity, the store MAC key (clear and wrapped) and the
 * entries in file order.
 */
final class StoreImage {
    final byte[] storeId;
    final DataKey macKey;
    final List<WrappedKey> macKeyWrapped;
    final List<EntryRecord> entries;

    StoreImage(byte[] storeId, DataKey macKey, List<WrappedKey> macKeyWrapped, List<EntryRecord> entries) {
        this.storeId = storeId;
        this.macKey = macKey;
        this.macKeyWrapped = macKeyWrapped;
        this.entries = entries;
    }
}
