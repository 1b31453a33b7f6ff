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
 * <p>Adding a version is a create-if-absent ({@link #addBranchKeyBlock}): when several writers (instances sharing
 * a database) create the same version at once, exactly one block is kept and the others learn that they lost, so
 * no entry is ever wrapped under a version whose block was overwritten.
 *
 * <pre>{@code
 * for (StoreKeyBlock b : storage.branchKeyBlocks()) { ... }   // ascending versions
 * if (!storage.addBranchKeyBlock(v2)) { ... }                  // another writer made version 2 first
 * storage.replaceBranchKeyBlock(reanchored);                  // the same key, anchored under another KEK
 * }</pre>
 */
public interface BranchKeyStorage {
    /** A copy of the store's 16-byte id. */
    byte[] storeId() throws KeyStoreException;

    /**
     * Every branch key version's block, in ascending version order; empty when the store has none. A backend
     * shared by several processes may answer from what it read earlier (see {@link #branchKeyBlock}).
     */
    List<StoreKeyBlock> branchKeyBlocks() throws KeyStoreException;

    /**
     * The block of {@code version}, or null when the store holds none. A backend that answers
     * {@link #branchKeyBlocks} from a copy reads storage again before answering null (a version another process
     * made since).
     */
    default StoreKeyBlock branchKeyBlock(long version) throws KeyStoreException {
        for (StoreKeyBlock b : branchKeyBlocks()) {
            if (b.epoch() == version) {
                return b;
            }
        }
        return null;
    }

    /**
     * The highest version any stored block claims, blocks this backend refused included (a database row that does
     * not decode, say); 0 when the store has none. What a rotation adds one to, so that a planted row at the next
     * version cannot pass for another writer's genuine version. A backend shared by several processes reads storage
     * now.
     */
    default long highestBranchKeyVersion() throws KeyStoreException {
        List<StoreKeyBlock> blocks = branchKeyBlocks();
        return blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).epoch();
    }

    /**
     * Adds the block of a new version, unless the store already holds that version.
     *
     * @return false when the version exists (another writer made it first): nothing was written, and
     *         {@link #branchKeyBlocks} now shows that writer's block
     */
    boolean addBranchKeyBlock(StoreKeyBlock block) throws KeyStoreException;

    /**
     * Replaces the block of an existing version by {@code block}: the same key anchored again (under the newest
     * KEK version, by {@code rewrap}).
     *
     * @throws KeyStoreException if the store holds no such version
     */
    void replaceBranchKeyBlock(StoreKeyBlock block) throws KeyStoreException;

    /** Removes a version's block (once no entry uses it); nothing when there is none. */
    void removeBranchKeyBlock(long version) throws KeyStoreException;

    /**
     * Whether new entries use branch keys when the configuration does not say ({@code kek.mode} unset): false for
     * the file container (a file is one process with few wallets; the vault then logs every wallet's unwrap), true
     * for a database (many instances and wallets: README "Capacity planning").
     */
    default boolean hierarchicalByDefault() {
        return false;
    }
}
