package io.dynamicshare.it;

import io.dynamicshare.entry.WalletShareKey;
import io.dynamicshare.provider.DynamicShareProvider;
import io.dynamicshare.store.DynamicShareKeyStoreSpi;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shipped classes are Java 8 bytecode (major 52), so legacy JEE containers can load them. */
class BytecodeTest {
    @Test
    void shippedClassesAreJava8() throws Exception {
        for (Class<?> c : new Class<?>[] {DynamicShareProvider.class, DynamicShareKeyStoreSpi.class, WalletShareKey.class,
                io.dynamicshare.metadata.WalletMetadata.class}) {
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                DataInputStream d = new DataInputStream(in);
                assertEquals(0xCAFEBABE, d.readInt());
                d.readUnsignedShort();
                assertEquals(52, d.readUnsignedShort(), c.getName());
            }
        }
    }
}
