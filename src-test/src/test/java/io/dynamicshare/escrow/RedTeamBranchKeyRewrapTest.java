package io.dynamicshare.escrow;

import io.dynamicshare.branchkey.BranchKeyInventory;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.store.DynamicShareKeyStore;
import io.dynamicshare.store.FileStoreParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RED TEAM (final review): after a routine KEK rotation (v1 to v2), {@code rewrap} re-anchored the active branch key
 * version under v2, after which it passed for a version v2 made, so writers kept wrapping new wallets under a branch
 * key whose v1-anchored block A1 may have copied: whoever later holds v1 (A2) reads every wallet written after the
 * rotation. In direct mode those wallets would be safe. Now a rewrap after a KEK rotation draws a fresh branch key
 * version made by v2 first and moves every entry to it; the old version stays only while entries still use it.
 *
 * <p>Failed before the fix (the active version after the rewrap was still 1).
 */
class RedTeamBranchKeyRewrapTest {
    @TempDir
    Path dir;

    @Test
    void aKekRotationRewrapMovesEveryWalletToAFreshBranchKeyVersion() throws Exception {
        Properties hierarchical = new Properties();
        hierarchical.setProperty("kek.mode", "hierarchical");
        EscrowFixture.DevStore store = new EscrowFixture.DevStore(dir.resolve("s"), hierarchical);
        Path file = dir.resolve("s/wallets.dsks");
        DynamicShareKeyStore ks = store.newStore();
        EscrowStoreTest.fill(ks);
        ks.store(FileStoreParameter.of(file));
        assertEquals(1, store.open(file).inventory().branchKeys().activeVersion());

        LocalDevKek.open(store.kekFile, "escrow-test-password".toCharArray())
                .rotate("escrow-test-password".toCharArray()); // routine rotation: v2 is now the write KEK version
        DynamicShareKeyStore rotated = store.open(file);
        assertEquals(0, rotated.rewrap(null, 100));
        BranchKeyInventory branch = rotated.inventory().branchKeys();
        assertNotEquals(1, branch.activeVersion(), "new wallets must not stay under the branch key v1 made");
        assertEquals(Map.of(branch.activeVersion(), EscrowFixture.WALLETS.size()), branch.entriesByVersion(),
                "every wallet moved to the fresh version");
        assertTrue(rotated.inventory().versionsInUse().stream().noneMatch(v -> v.endsWith("/v1")),
                "nothing needs v1 any more: " + rotated.inventory().versionsInUse());
        EscrowStoreTest.fill(store.newStore()); // and writes after it go to the fresh version too (no error)
    }
}
