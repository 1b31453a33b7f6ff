package io.dynamicshare.it;

import io.dynamicshare.audit.AuditEvent;
import io.dynamicshare.audit.AuditEvent.Operation;
import io.dynamicshare.audit.AuditEvent.Outcome;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.WalletEntry;
import io.dynamicshare.kek.WrapAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.Subject;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static io.dynamicshare.it.Asserts.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** One audit event per load, store, get, set and delete: time, actor, operation, alias, KEK and outcome. */
class AuditTest {
    @TempDir
    Path dir;

    @Test
    void everyOperationIsAudited() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        KeyStore ks = dev.newStore();
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        byte[] file = DevStores.bytes(ks);
        KeyStore again = dev.open(file);
        again.getEntry(w.alias(), null);
        again.getEntry("missing", null);
        assertThrows(Exception.class, () -> again.setEntry("bad", WalletEntry.of("[]".getBytes(), w.metadata()), null));
        again.deleteEntry(w.alias());

        List<AuditEvent> e = dev.events;
        assertEquals(List.of(Operation.LOAD, Operation.SET, Operation.STORE, Operation.LOAD, Operation.GET, Operation.GET,
                Operation.SET, Operation.DELETE), e.stream().map(AuditEvent::operation).toList());
        assertEquals(List.of(Outcome.SUCCESS, Outcome.SUCCESS, Outcome.SUCCESS, Outcome.SUCCESS, Outcome.SUCCESS,
                Outcome.NOT_FOUND, Outcome.FAILURE, Outcome.SUCCESS), e.stream().map(AuditEvent::outcome).toList());
        AuditEvent get = e.get(4);
        assertEquals(w.alias(), get.alias());
        assertEquals("devkek:test/v1", get.kekId());
        assertEquals("it-tests", get.actor(), "the configured application identity when no Subject runs");
        assertNull(e.get(2).alias(), "store is a whole-store event");
        assertEquals("devkek:test/v1", e.get(2).kekId());
        assertContains(e.get(6).detail(), "alias 'bad'", "externalServerKeyShares");
        assertContains(get.toString(), "op=GET", "alias=" + w.alias(), "kek=devkek:test/v1", "outcome=SUCCESS", "actor=it-tests");
    }

    @Test
    @SuppressWarnings("removal")
    void theActorIsTheSubjectsPrincipalsWhenOneRuns() throws Exception {
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256);
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        KeyStore ks = dev.newStore();
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        Principal alice = () -> "alice@payments";
        Subject subject = new Subject(true, Set.of(alice), Set.of(), Set.of());
        Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> ks.getEntry(w.alias(), null));
        AuditEvent last = dev.events.get(dev.events.size() - 1);
        assertEquals(Operation.GET, last.operation());
        assertEquals("alice@payments", last.actor());
    }

    @Test
    @SuppressWarnings("removal")
    void auditActorApplicationRecordsTheApplicationEvenUnderASubject() throws Exception {
        Properties extra = new Properties();
        extra.setProperty("audit.actor", "application");
        DevStores dev = new DevStores(dir, WrapAlgorithm.AES_KW_256, extra);
        Fixtures.Wallet w = Fixtures.WALLETS.get(0);
        KeyStore ks = dev.newStore();
        ks.setEntry(w.alias(), WalletEntry.of(w.shares(), w.metadata()), null);
        Subject subject = new Subject(true, Set.of((Principal) () -> "alice@payments"), Set.of(), Set.of());
        Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> ks.getEntry(w.alias(), null));
        AuditEvent last = dev.events.get(dev.events.size() - 1);
        assertEquals(Operation.GET, last.operation());
        assertEquals("it-tests", last.actor());
    }

    @Test
    void anUnknownAuditActorIsRefusedByName() {
        Properties p = new Properties();
        p.setProperty("audit.actor", "principal");
        ConfigException e = assertThrows(ConfigException.class, () -> StoreConfig.of(p, dir, "test.properties"));
        assertContains(e.getMessage(), "audit.actor", "'subject' or 'application'", "'principal'", "test.properties");
    }
}
