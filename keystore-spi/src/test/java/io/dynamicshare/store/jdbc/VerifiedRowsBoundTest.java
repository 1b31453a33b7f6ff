package io.dynamicshare.store.jdbc;

import io.dynamicshare.cache.DataKeyCache;
import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import io.dynamicshare.store.EntryRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verified-row map stays within its capacity however many threads write distinct wallets at once. Before, each
 * insert dropped "the first entry" without a lock, so racing inserts dropped the same one and the map grew by one per
 * lost race: a million writes from two threads ran a 512 MiB heap out of memory (DatabaseScale).
 */
class VerifiedRowsBoundTest {
    @Test
    void concurrentWritersNeverGrowItPastItsCapacity() throws Exception {
        int capacity = 100;
        DataKeyCache cache = new DataKeyCache(capacity, 60_000);
        VerifiedRows rows = new VerifiedRows(new byte[16], null, cache, capacity);
        SealedEntry sealed = sealed();
        EntryRecord record = new EntryRecord("a", sealed, 0);
        VerifiedRows.Row row = new VerifiedRows.Row(new byte[8], new byte[32], 1);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    rows.remember("w" + id + "-" + i, row, record);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertTrue(rows.size() <= capacity + threads, "remembered rows: " + rows.size() + " (capacity " + capacity + ")");
    }

    private static SealedEntry sealed() throws Exception {
        DataKey dek = DataKey.generate();
        try {
            EntryBinding binding = new EntryBinding("a", "{\"walletId\":\"w\",\"accountAddress\":\"a\"}"
                    .getBytes(StandardCharsets.UTF_8), new byte[16], 0, true, 1);
            return CmsEnvelope.seal("[]".getBytes(StandardCharsets.UTF_8), binding, dek, Collections.singletonList(
                    new WrappedKey(KekId.of("devkek:test/v1"), WrapAlgorithm.AES_KW_256, new byte[40])));
        } finally {
            dek.destroy();
        }
    }
}
