package io.dynamicshare.attack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A1's "key vault": a listening socket on 127.0.0.1 whose address a forged store names as a KEK. Nothing ever
 * accepts on it until {@link #assertNoConnection}, so any connection attempt a store makes sits in the backlog and is
 * seen there.
 */
final class Honeypot implements AutoCloseable {
    private final ServerSocket server;

    Honeypot() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** A Key Vault key version id pointing here: {@code https://127.0.0.1:<port>/keys/<name>/<version>}. */
    String keyId(String name, String version) {
        return "https://127.0.0.1:" + server.getLocalPort() + "/keys/" + name + "/" + version;
    }

    /** Fails if anything connected since the socket opened (or since the last call). */
    void assertNoConnection() throws IOException {
        server.setSoTimeout(300);
        try (Socket s = server.accept()) {
            fail("the store contacted the attacker's key service at " + server.getLocalSocketAddress() + " (from "
                    + s.getRemoteSocketAddress() + ")");
        } catch (SocketTimeoutException expected) {
            // Nothing connected.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
