package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Per-thread cursor over the entries of a state, so consecutive operations touch different entries and keys. */
@State(Scope.Thread)
public class RoundRobin {
    private int next;

    public int next(int count) {
        int i = next;
        next = i + 1 == count ? 0 : i + 1;
        return i;
    }
}
