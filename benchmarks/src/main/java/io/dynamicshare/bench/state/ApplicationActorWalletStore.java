package io.dynamicshare.bench.state;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.Properties;

/**
 * {@link DevWalletStore} configured with {@code audit.actor=application}: audit events name the configured
 * application without looking for a {@code Subject}, which on Java 17 and older means a stack walk per operation.
 */
@State(Scope.Benchmark)
public class ApplicationActorWalletStore extends DevWalletStore {
    @Override
    protected Properties configuration() {
        Properties p = new Properties();
        p.setProperty("audit.actor", "application");
        return p;
    }
}
