package io.dynamicshare.bench.state;

import org.openjdk.jmh.infra.BenchmarkParams;

/** Reads the {@code @Param}s a benchmark class declares, so one state class serves classes with different values. */
final class Params {
    private Params() {
    }

    static int intParam(BenchmarkParams params, String name) {
        String v = params.getParam(name);
        if (v == null) {
            throw new IllegalStateException("the benchmark class must declare @Param " + name);
        }
        return Integer.parseInt(v);
    }
}
