package io.dynamicshare.escrow;

import io.dynamicshare.envelope.CmsEnvelope;
import io.dynamicshare.envelope.DataKey;
import io.dynamicshare.envelope.EntryBinding;
import io.dynamicshare.envelope.OtherRecipient;
import io.dynamicshare.envelope.RecipientInfoCodec;
import io.dynamicshare.envelope.Recipients;
import io.dynamicshare.envelope.SealedEntry;
import io.dynamicshare.kek.KekId;
import io.dynamicshare.kek.WrapAlgorithm;
import io.dynamicshare.kek.WrappedKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.RecipientIdentifier;
import org.bouncycastle.asn1.x500.X500Name;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Symmetry of an entry's recipients: whatever mix of KEK recipients (key transport and KEK) and other recipients
 * (escrow by issuer and serial number or by binary subject key identifier) an entry is sealed with, parsing its
 * DER gives back the same KEK recipients and the same other recipients, byte for byte, and encoding that again
 * gives the same DER. One run with a fixed seed, one with a random one (jqwik prints it).
 */
class RecipientsSymmetryTest {
    @Property(tries = 200, seed = "20261130")
    void recipientsRoundTripFixedSeed(@ForAll("recipients") Recipients r) throws Exception {
        roundTrip(r);
    }

    @Property(tries = 100)
    void recipientsRoundTripRandomSeed(@ForAll("recipients") Recipients r) throws Exception {
        roundTrip(r);
    }

    static void roundTrip(Recipients r) throws Exception {
        byte[] store = new byte[16];
        EntryBinding binding = new EntryBinding("alias", "{}".getBytes(), store, 1L, false, 1L);
        byte[] der = CmsEnvelope.encode(CmsEnvelope.seal("[]".getBytes(), binding, DataKey.generate(), r));
        SealedEntry parsed = CmsEnvelope.parse(der);
        assertEquals(new HashSet<>(r.keks()), new HashSet<>(parsed.recipients()));
        assertEquals(new HashSet<>(r.others()), new HashSet<>(parsed.otherRecipients()));
        assertArrayEquals(der, CmsEnvelope.encode(parsed));
    }

    @Provide
    Arbitrary<Recipients> recipients() {
        Arbitrary<WrappedKey> kek = Arbitraries.of(WrapAlgorithm.values()).flatMap(alg -> Arbitraries.strings()
                .withChars("abcdefghijklmnopqrstuvwxyz0123456789/.-_:").ofMinLength(1).ofMaxLength(80)
                .flatMap(id -> Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(600)
                        .map(bytes -> new WrappedKey(KekId.of("devkek:" + id), alg, bytes))));
        Arbitrary<OtherRecipient> other = Arbitraries.integers().between(0, 1).flatMap(kind -> Arbitraries.bytes()
                .array(byte[].class).ofMinSize(1).ofMaxSize(512).flatMap(ek -> Arbitraries.longs().between(1,
                        Long.MAX_VALUE).map(serial -> OtherRecipient.of(RecipientInfoCodec.rsaOaepRecipient(kind == 0
                        ? new RecipientIdentifier(new IssuerAndSerialNumber(new X500Name("CN=escrow " + serial),
                        BigInteger.valueOf(serial))) : new RecipientIdentifier(new DEROctetString(binarySki(serial))),
                        ek)))));
        return kek.list().ofMinSize(1).ofMaxSize(3).flatMap(keks -> other.list().ofMaxSize(3)
                .map(others -> Recipients.of(keks, new ArrayList<>(others))));
    }

    /** A 20-byte identifier that is never a KEK id (it starts with a byte that is not valid UTF-8). */
    static byte[] binarySki(long seed) {
        byte[] b = new byte[20];
        b[0] = (byte) 0xff;
        for (int i = 1; i < 20; i++) {
            b[i] = (byte) (seed >>> (i % 8 * 8));
        }
        return b;
    }
}
