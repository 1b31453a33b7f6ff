package io.dynamicshare.testing.keyvault;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on {@code 127.0.0.1} that accepts every connection, reads whatever the client sends and never
 * answers: a hung token endpoint or vault (the client's TLS handshake or HTTP request gets no reply). It counts
 * the connections it accepted and those the client still holds open, so a test can check that a client that gave
 * up also closed its sockets (no thread left waiting on them).
 *
 * <pre>{@code
 * try (SilentEndpoint silent = SilentEndpoint.start()) {
 *     String url = silent.url("http");          // http://127.0.0.1:PORT
 *     ...
 *     assertEquals(0, silent.openConnections());
 * }
 * }</pre>
 */
public final class SilentEndpoint implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final int id = INSTANCES.incrementAndGet();
    private volatile boolean closed;

    private SilentEndpoint() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        Thread acceptor = new Thread(this::acceptLoop, "silent-endpoint-" + id);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a silent server on an ephemeral port of 127.0.0.1. */
    public static SilentEndpoint start() {
        try {
            return new SilentEndpoint();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the silent endpoint", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code scheme://127.0.0.1:PORT}, e.g. {@code http} for a managed-identity endpoint, {@code https} for AAD. */
    public String url(String scheme) {
        return scheme + "://127.0.0.1:" + port();
    }

    /** Connections accepted so far. */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Connections the client has not closed yet. */
    public int openConnections() {
        return open.size();
    }

    /** Waits up to {@code millis} for every client connection to be closed; returns how many are still open. */
    public int awaitNoOpenConnections(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (!open.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return open.size();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread reader = new Thread(() -> drain(s), "silent-endpoint-" + id + "-conn-" + accepted.get());
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Reads and discards until the client closes its end (or the server closes). */
    private void drain(Socket s) {
        byte[] buf = new byte[4096];
        try (InputStream in = s.getInputStream()) {
            while (in.read(buf) >= 0) {
                // never answer
            }
        } catch (IOException e) {
            // reset by the client, or closed by close()
        } finally {
            open.remove(s);
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public String toString() {
        return "SilentEndpoint[" + url("tcp") + "]";
    }
}
