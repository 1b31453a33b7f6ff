package io.dynamicshare.bench.state;

import io.dynamicshare.testing.keyvault.Operation;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Counters reported beside the score (single-threaded benchmarks only): operations, and the requests the Key
 * Vault test double answered during the iteration, all operations and unwrapKey alone. Vault calls per
 * operation = {@code vaultCalls / ops}. The benchmark increments {@link #ops}; the vault's counters are read
 * once before and once after each iteration, so they cost the measured operation nothing.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class VaultCalls {
    public long ops;
    public long vaultCalls;
    public long unwrapKeyCalls;
    private long vaultStart;
    private long unwrapStart;

    @Setup(Level.Iteration)
    public void start(AzureWalletStore store) {
        ops = 0;
        vaultCalls = 0;
        unwrapKeyCalls = 0;
        vaultStart = store.vaultCalls();
        unwrapStart = store.kek.vault.calls(Operation.UNWRAP_KEY);
    }

    @TearDown(Level.Iteration)
    public void stop(AzureWalletStore store) {
        vaultCalls = store.vaultCalls() - vaultStart;
        unwrapKeyCalls = store.kek.vault.calls(Operation.UNWRAP_KEY) - unwrapStart;
    }
}
