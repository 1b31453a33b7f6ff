package io.dynamicshare.bench.state;

import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.local.LocalDevKek;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.StoreContext;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The local development KEK (RSA-3072, RSA-OAEP-256: what {@code LocalDevKek} creates) in a temporary
 * directory, its configuration file, and a provider over it with a {@link CountingAuditSink}.
 */
public final class DevKek implements AutoCloseable {
    public final Path dir;
    public final CountingAuditSink audit = new CountingAuditSink();
    public final StoreContext context;
    public final DynamicShareProvider provider;

    public DevKek(Properties extra) throws Exception {
        this(extra, WrapAlgorithm.RSA_OAEP_256);
    }

    /** With an AES key-wrap development KEK ({@link WrapAlgorithm#AES_KW_256}) or the RSA one. */
    public DevKek(Properties extra, WrapAlgorithm algorithm) throws Exception {
        dir = Files.createTempDirectory("dynamicshare-bench-");
        char[] password = "bench-devkek-password".toCharArray();
        Files.write(dir.resolve("devkek.password"), new String(password).getBytes(StandardCharsets.UTF_8));
        LocalDevKek kek = LocalDevKek.create(dir.resolve("dev-kek.p12"), password, "bench", algorithm);
        Properties p = new Properties();
        p.setProperty("kek", kek.keyName());
        p.setProperty("devkek.file", "dev-kek.p12");
        p.setProperty("devkek.passwordFile", "devkek.password");
        p.setProperty("application", "benchmarks");
        p.putAll(extra);
        Path config = dir.resolve("dynamicshare.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "benchmarks");
        }
        context = StoreContext.of(StoreConfig.load(config)).withAudit(audit);
        provider = new DynamicShareProvider(context);
    }

    public DevKek() throws Exception {
        this(new Properties());
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
