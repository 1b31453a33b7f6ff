package io.dynamicshare.branchkey;

import io.dynamicshare.storekey.StoreKeyBlock;

import java.security.KeyStoreException;
import java.util.List;

/**
 * Where a store keeps its branch key blocks (the seam every {@link io.dynamicshare.store.StoreBackend} implements):
 * the file container's header (container format 3), or a database table. A block is a {@link StoreKeyBlock} of
 * purpose {@link io.dynamicshare.storekey.KeyPurpose#BRANCH_KEY}, whose {@code epoch} field is the version; it is
 * anchored by the KEK on its own (signature or AES wrap, bound to the store id and the version), so storage need
 * not authenticate it, though the file MAC does.
 *
 * <pre>{@code
 * for (StoreKeyBlock b : storage.branchKeyBlocks()) { ... }   // ascending versions
 * storage.putBranchKeyBlock(rotatedBlock);                    // adds a version or replaces its block
 * }</pre>
 */
public interface BranchKeyStorage {
    /** A copy of the store's 16-byte id. */
    byte[] storeId() throws KeyStoreException;

    /** Every branch key version's block, in ascending version order; empty when the store has none. */
    List<StoreKeyBlock> branchKeyBlocks() throws KeyStoreException;

    /** Adds the block of a new version, or replaces the block of its version (re-anchored under another KEK). */
    void putBranchKeyBlock(StoreKeyBlock block) throws KeyStoreException;

    /** Removes a version's block (once no entry uses it); nothing when there is none. */
    void removeBranchKeyBlock(long version) throws KeyStoreException;

    /**
     * Whether new entries use branch keys when the configuration does not say ({@code kek.mode} unset): false for
     * the file container (a file is one process with few wallets; the vault then logs every wallet's unwrap).
     */
    default boolean hierarchicalByDefault() {
        return false;
    }
}
