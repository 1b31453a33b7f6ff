package io.dynamicshare.store;

import io.dynamicshare.audit.AuditEvent.Operation;
import io.dynamicshare.audit.AuditEvent.Outcome;
import io.dynamicshare.config.ConfigException;
import io.dynamicshare.config.StoreConfig;
import io.dynamicshare.entry.ReplaceIfUnchanged;
import io.dynamicshare.store.file.FileBackend;
import io.dynamicshare.store.jdbc.JdbcBackend;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.KeyStoreSpi;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.UnrecoverableEntryException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code DynamicShareKeyStore} engine: wallet key shares as {@link KeyStore.SecretKeyEntry}s, each a
 * CMS AuthEnvelopedData under its own data key, the data key wrapped by a KEK. Use it through
 * {@link KeyStore}:
 *
 * <pre>{@code
 * KeyStore ks = KeyStore.getInstance("DynamicShareKeyStore");
 * ks.load(null, null);
 * ks.setEntry("0xA9bb...", WalletEntry.of(sharesJson, walletMetadataJson), null);
 * ks.store(out, null);
 * }</pre>
 *
 * <p>Contract choices, as the JDK's PKCS12 store makes them: a null alias throws
 * {@link NullPointerException}; an unknown alias gives null / false / no-op; aliases are case-sensitive
 * (Solana addresses are); certificate and private-key entries are refused with a
 * {@link KeyStoreException}. Passwords are accepted and ignored: the KEK protects the entries and a
 * vault-anchored store key authenticates every entry and the whole store (docs/SECURITY.md). Since there
 * is no store password, it cannot be changed: {@code store(stream, password)} with a password other than
 * the one the store was loaded with (which is what {@code keytool -storepasswd} does) is refused. Without
 * a configured write KEK the store is read-only: setEntry, deleteEntry and store throw.
 *
 * <p>Under the JDK's keytool (see {@link KeytoolCommand}): {@code -list} opens no entry (JDK 19+ keytool
 * asks each secret key entry for its key only to check its algorithm; it is told the key is not
 * recoverable, which keytool skips), and {@code -importkeystore} into a store of another type fails on the
 * first entry, naming it, instead of reporting every entry as not imported and writing an empty store.
 */
public class DynamicShareKeyStoreSpi extends KeyStoreSpi {
    /** The KeyStore type this engine implements. */
    static final String TYPE = "DynamicShareKeyStore";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StoreContext ctx;
    private final EntrySealer sealer;
    private final KeyMaintenance maintenance;
    private final StoreAudit audit;
    /**
     * A salted SHA-256 of the password the store was loaded with (null: none given), to recognize a store
     * password change. The password itself is not kept.
     */
    private byte[] loadPassword;
    private final byte[] passwordSalt = new byte[16];

    /** Configured by the file the {@value StoreConfig#SYSTEM_PROPERTY} system property names, if any. */
    public DynamicShareKeyStoreSpi() throws ConfigException {
        this(StoreContext.of(StoreConfig.fromSystemProperty()));
    }

    public DynamicShareKeyStoreSpi(StoreContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.sealer = new EntrySealer(ctx);
        this.maintenance = new KeyMaintenance(sealer);
        this.audit = new StoreAudit(ctx);
        RANDOM.nextBytes(passwordSalt);
    }

    private static String checkAlias(String alias) {
        return Objects.requireNonNull(alias, "alias must not be null");
    }

    @Override
    public Key engineGetKey(String alias, char[] password) throws NoSuchAlgorithmException, UnrecoverableKeyException {
        checkAlias(alias);
        KeytoolCommand keytool = KeytoolCommand.CURRENT;
        if (keytool.listing() || keytool.importing()) {
            // keytool asks for the key only to check its algorithm and key size (JDK 19+); an unrecoverable
            // key is what it skips. Opening the entry would cost a KEK unwrap per wallet for nothing.
            throw new UnrecoverableKeyException(Messages.alias(alias) + "keytool " + (keytool.listing() ? "-list"
                    : "-importkeystore") + " does not open wallet entries");
        }
        try {
            KeyStore.SecretKeyEntry e = get(alias, null);
            return e == null ? null : e.getSecretKey();
        } catch (UnrecoverableEntryException | KeyStoreException e) {
            UnrecoverableKeyException u = new UnrecoverableKeyException(e.getMessage());
            u.initCause(e);
            throw u;
        }
    }

    @Override
    public KeyStore.Entry engineGetEntry(String alias, KeyStore.ProtectionParameter protParam)
            throws KeyStoreException, NoSuchAlgorithmException, UnrecoverableEntryException {
        checkAlias(alias);
        if (KeytoolCommand.CURRENT.importsIntoAnotherType()) {
            KeyStoreException e = new KeyStoreException(Messages.alias(alias) + "keytool -importkeystore cannot copy "
                    + "wallet key shares into a " + KeytoolCommand.CURRENT.importDestinationType() + " store: it "
                    + "cannot hold them, and they would leave the protection of the KEK. Wallets can be copied into "
                    + "another DynamicShareKeyStore only (-deststoretype DynamicShareKeyStore). Nothing was written.");
            audit.record(Operation.GET, alias, null, Outcome.FAILURE, e.getMessage());
            throw e;
        }
        return get(alias, protParam);
    }

    private KeyStore.SecretKeyEntry get(String alias, KeyStore.ProtectionParameter protParam)
            throws KeyStoreException, UnrecoverableEntryException {
        String kek = null;
        try {
            Protections.check(alias, protParam);
            EntryRecord r = sealer.backend().record(alias);
            if (r == null) {
                audit.record(Operation.GET, alias, null, Outcome.NOT_FOUND, null);
                return null;
            }
            kek = r.kekIds();
            KeyStore.SecretKeyEntry e = sealer.get(r);
            sealer.backend().accessed(alias);
            audit.record(Operation.GET, alias, kek, Outcome.SUCCESS, null);
            return e;
        } catch (KeyStoreException | UnrecoverableEntryException | RuntimeException e) {
            audit.record(Operation.GET, alias, kek, Outcome.FAILURE, e.getMessage());
            throw e;
        }
    }

    @Override
    public void engineSetEntry(String alias, KeyStore.Entry entry, KeyStore.ProtectionParameter protParam)
            throws KeyStoreException {
        checkAlias(alias);
        String expected = protParam instanceof ReplaceIfUnchanged ? ((ReplaceIfUnchanged) protParam).expectedVersion()
                : null;
        try {
            audit.record(Operation.SET, alias, sealer.set(alias, entry, protParam, expected).kekIds(), Outcome.SUCCESS,
                    expected == null ? null : "compare-and-set");
        } catch (KeyStoreException | RuntimeException e) {
            audit.record(Operation.SET, alias, null, Outcome.FAILURE, e.getMessage());
            throw e;
        }
    }

    /** Refused: a bare key cannot carry walletMetadata, and shares must never be stored without it. */
    @Override
    public void engineSetKeyEntry(String alias, Key key, char[] password, Certificate[] chain) throws KeyStoreException {
        checkAlias(alias);
        throw new KeyStoreException(Messages.alias(alias) + "setKeyEntry cannot carry walletMetadata; use "
                + "setEntry(alias, WalletEntry.of(sharesJson, walletMetadataJson), protection)");
    }

    @Override
    public void engineSetKeyEntry(String alias, byte[] key, Certificate[] chain) throws KeyStoreException {
        checkAlias(alias);
        throw new KeyStoreException(Messages.alias(alias) + "pre-protected keys are not supported; use setEntry(alias, "
                + "WalletEntry.of(sharesJson, walletMetadataJson), protection)");
    }

    @Override
    public void engineSetCertificateEntry(String alias, Certificate cert) throws KeyStoreException {
        checkAlias(alias);
        throw new KeyStoreException(Messages.alias(alias) + "certificate entries are not supported: "
                + "DynamicShareKeyStore holds wallet key shares only");
    }

    @Override
    public Certificate[] engineGetCertificateChain(String alias) {
        checkAlias(alias);
        return null;
    }

    @Override
    public Certificate engineGetCertificate(String alias) {
        checkAlias(alias);
        return null;
    }

    @Override
    public String engineGetCertificateAlias(Certificate cert) {
        return null;
    }

    @Override
    public Date engineGetCreationDate(String alias) {
        EntryRecord r = recordOrNull(checkAlias(alias));
        return r == null ? null : r.creationDate();
    }

    @Override
    public void engineDeleteEntry(String alias) throws KeyStoreException {
        checkAlias(alias);
        try {
            boolean existed = sealer.delete(alias);
            audit.record(Operation.DELETE, alias, null, existed ? Outcome.SUCCESS : Outcome.NOT_FOUND, null);
        } catch (KeyStoreException | RuntimeException e) {
            audit.record(Operation.DELETE, alias, null, Outcome.FAILURE, e.getMessage());
            throw e;
        }
    }

    @Override
    public Enumeration<String> engineAliases() {
        try {
            final java.util.Iterator<String> it = sealer.backend().aliases();
            return new Enumeration<String>() {
                @Override
                public boolean hasMoreElements() {
                    return it.hasNext();
                }

                @Override
                public String nextElement() {
                    return it.next();
                }
            };
        } catch (KeyStoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public boolean engineContainsAlias(String alias) {
        return recordOrNull(checkAlias(alias)) != null;
    }

    @Override
    public int engineSize() {
        try {
            return sealer.backend().size();
        } catch (KeyStoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public boolean engineIsKeyEntry(String alias) {
        return recordOrNull(checkAlias(alias)) != null;
    }

    @Override
    public boolean engineIsCertificateEntry(String alias) {
        checkAlias(alias);
        return false;
    }

    @Override
    public boolean engineEntryInstanceOf(String alias, Class<? extends KeyStore.Entry> entryClass) {
        Objects.requireNonNull(entryClass, "entryClass");
        return recordOrNull(checkAlias(alias)) != null && entryClass.isAssignableFrom(KeyStore.SecretKeyEntry.class);
    }

    /**
     * The entry's attributes (walletMetadata and its well-known fields), answered without unwrapping any
     * key. JDK 18+ calls this; declared without {@code @Override} so the class still loads on Java 8.
     */
    public Set<KeyStore.Entry.Attribute> engineGetAttributes(String alias) {
        try {
            return attributes(alias);
        } catch (KeyStoreException e) {
            // The JDK's signature has no checked exception; the cause says what is wrong with the entry.
            throw new IllegalStateException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }

    /** As {@link #engineGetAttributes}, with a damaged entry's metadata as a checked exception. */
    byte[] entryDer(String alias) throws KeyStoreException {
        EntryRecord r = sealer.backend().record(checkAlias(alias));
        return r == null ? null : io.dynamicshare.envelope.CmsEnvelope.encode(r.sealed);
    }

    Set<KeyStore.Entry.Attribute> attributes(String alias) throws KeyStoreException {
        EntryRecord r = sealer.backend().record(checkAlias(alias));
        if (r == null) {
            return Collections.<KeyStore.Entry.Attribute>emptySet();
        }
        try {
            return r.attributes();
        } catch (StoreIntegrityException e) {
            KeyStoreException k = new KeyStoreException(e.getMessage());
            k.initCause(e);
            throw k;
        }
    }

    /** True when the stream starts with this format's magic. JDK 9+ calls this; no {@code @Override} for Java 8. */
    public boolean engineProbe(InputStream stream) throws IOException {
        Objects.requireNonNull(stream, "stream");
        return FileBackend.probe(stream);
    }

    private EntryRecord recordOrNull(String alias) {
        try {
            return sealer.backend().record(alias);
        } catch (KeyStoreException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Writes the store. The password is not used (the store key is KEK-wrapped), so it cannot be changed: a
     * password other than the one given to {@code load} (when both are given) is refused before anything is
     * written, as {@code keytool -storepasswd} would otherwise report a change that did not happen.
     */
    @Override
    public void engineStore(OutputStream stream, char[] password) throws IOException, NoSuchAlgorithmException,
            CertificateException {
        Objects.requireNonNull(stream, "stream");
        try {
            if (password != null && loadPassword != null && !MessageDigest.isEqual(loadPassword, digest(password))) {
                throw new IOException("DynamicShareKeyStore is protected by its KEK, not by a password, so there is no "
                        + "store password to change (keytool -storepasswd does not apply): store it with the password "
                        + "it was loaded with, or null. Nothing was written.");
            }
            sealer.writeKek(null);
            StoreBackend b = sealer.backend();
            if (b instanceof FileBackend) {
                ((FileBackend) b).store(stream);
            } // a database store writes through: nothing is left to write, and the stream is left empty
            audit.record(Operation.STORE, null, storeKekIds(), Outcome.SUCCESS, standing());
        } catch (KeyStoreException | IOException | RuntimeException e) {
            audit.record(Operation.STORE, null, storeKekIds(), Outcome.FAILURE, e.getMessage());
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
    }

    /**
     * The reader makes four small reads per entry, so an unbuffered stream (a file) gets a buffer. It is
     * smaller than an entry: {@code BufferedInputStream} hands a read at least its size straight to the
     * stream, so entry bytes are copied once, not twice. Streams over memory need no buffer at all.
     */
    private static InputStream buffered(InputStream stream) {
        return stream instanceof BufferedInputStream || stream instanceof ByteArrayInputStream ? stream
                : new BufferedInputStream(stream, 8192);
    }

    private String storeKekIds() {
        StoreBackend b = sealer.backendOrNull();
        try {
            return b == null ? null : KeyMaintenance.storeKekIds(b.storeKeyBlock());
        } catch (KeyStoreException e) {
            return null;
        }
    }

    /** The audit detail of a load or store: where the store stands. */
    private String standing() {
        StoreBackend b = sealer.backendOrNull();
        try {
            return b.standing() + ", cache " + ctx.cache().stats();
        } catch (KeyStoreException e) {
            return e.getMessage();
        }
    }

    /**
     * {@code stream == null} starts a new, empty store; the password is not used, only remembered (as a
     * salted hash) so that {@link #engineStore(OutputStream, char[])} can refuse a password change.
     */
    @Override
    public void engineLoad(InputStream stream, char[] password) throws IOException, NoSuchAlgorithmException,
            CertificateException {
        load(stream, 0);
        loadPassword = password == null ? null : digest(password);
    }

    /** SHA-256 of this instance's salt and the password's UTF-8 bytes; the bytes are zeroed. */
    private byte[] digest(char[] password) throws NoSuchAlgorithmException {
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(passwordSalt);
            return sha.digest(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (utf8.hasArray()) {
                Arrays.fill(utf8.array(), (byte) 0);
            }
        }
    }

    private void load(InputStream stream, long minGeneration) throws IOException {
        if (stream == null) {
            DatabaseStoreParameter configured;
            try {
                configured = DatabaseStoreParameter.fromConfig(ctx.config());
            } catch (ConfigException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (configured != null) {
                loadDatabase(configured);
                return;
            }
            sealer.replaceBackend(FileBackend.createEmpty(ctx));
            audit.record(Operation.LOAD, null, null, Outcome.SUCCESS, "new empty store");
            return;
        }
        try {
            sealer.replaceBackend(FileBackend.load(ctx, buffered(stream), minGeneration));
            audit.record(Operation.LOAD, null, storeKekIds(), Outcome.SUCCESS, standing());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            audit.record(Operation.LOAD, null, null, Outcome.FAILURE, e.getMessage());
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
    }

    /** Opens a database store: reads its store row and current store key, no entry row. */
    private void loadDatabase(DatabaseStoreParameter param) throws IOException {
        try {
            sealer.replaceBackend(JdbcBackend.open(ctx, param));
            audit.record(Operation.LOAD, null, storeKekIds(), Outcome.SUCCESS, standing());
        } catch (KeyStoreException | RuntimeException e) {
            audit.record(Operation.LOAD, null, null, Outcome.FAILURE, e.getMessage());
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * A {@link FileStoreParameter} loads that file; a {@link DatabaseStoreParameter} opens that database store; null
     * opens the database store the configuration names ({@code db.url} or {@code db.jndi}), else starts a new, empty
     * file store.
     */
    @Override
    public void engineLoad(KeyStore.LoadStoreParameter param) throws IOException, NoSuchAlgorithmException,
            CertificateException {
        loadPassword = null;
        if (param == null) {
            engineLoad((InputStream) null, null);
            return;
        }
        if (param instanceof DatabaseStoreParameter) {
            loadDatabase((DatabaseStoreParameter) param);
            return;
        }
        if (!(param instanceof FileStoreParameter)) {
            throw new IllegalArgumentException("unsupported LoadStoreParameter " + param.getClass().getName()
                    + ": use FileStoreParameter or DatabaseStoreParameter");
        }
        FileStoreParameter file = (FileStoreParameter) param;
        try (InputStream in = Files.newInputStream(file.file())) {
            load(in, file.minGeneration());
        } catch (NoSuchFileException e) {
            throw new IOException("no DynamicShareKeyStore at " + e.getFile() + " (create one with load(null, null) "
                    + "then store)", e);
        }
    }

    /**
     * Writes atomically to the {@link FileStoreParameter}'s file, under its lock, refusing with
     * {@link StoreConflictException} when another writer stored it since this KeyStore loaded it (unless
     * {@link FileStoreParameter#overwrite()}).
     */
    @Override
    public void engineStore(KeyStore.LoadStoreParameter param) throws IOException, NoSuchAlgorithmException,
            CertificateException {
        if (param instanceof DatabaseStoreParameter) {
            storeDatabase();
            return;
        }
        if (!(param instanceof FileStoreParameter)) {
            throw new IllegalArgumentException("unsupported LoadStoreParameter "
                    + (param == null ? "null" : param.getClass().getName()) + ": use FileStoreParameter");
        }
        FileStoreParameter f = (FileStoreParameter) param;
        try {
            sealer.writeKek(null);
            StoreBackend b = sealer.backend();
            if (!(b instanceof FileBackend)) {
                throw new IOException("this store is not a file store (" + b.standing() + "): it writes through, and "
                        + "has nothing to store to " + f.file());
            }
            ((FileBackend) b).storeToFile(f.file(), f.overwrites());
            audit.record(Operation.STORE, null, storeKekIds(), Outcome.SUCCESS, standing());
        } catch (KeyStoreException | IOException | RuntimeException e) {
            audit.record(Operation.STORE, null, storeKekIds(), Outcome.FAILURE, e.getMessage());
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
    }

    /** A database store writes through: {@code store} checks that one is loaded and has nothing left to write. */
    private void storeDatabase() throws IOException {
        try {
            StoreBackend b = sealer.backend();
            if (!(b instanceof JdbcBackend)) {
                throw new IOException("this store is not a database store (" + b.standing() + "): store it with a "
                        + "FileStoreParameter or an OutputStream");
            }
            audit.record(Operation.STORE, null, storeKekIds(), Outcome.SUCCESS, standing() + ", written through");
        } catch (KeyStoreException | IOException | RuntimeException e) {
            audit.record(Operation.STORE, null, storeKekIds(), Outcome.FAILURE, e.getMessage());
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
    }

    /** Releases the loaded store: a database store flushes its access counts and closes its own pool. */
    void close() {
        sealer.replaceBackend(null);
    }

    int rewrap(String targetKek, int maxEntries) throws KeyStoreException {
        try {
            int remaining = maintenance.rewrap(targetKek, maxEntries);
            audit.record(Operation.REWRAP, null, storeKekIds(), Outcome.SUCCESS, remaining + " entries remain");
            return remaining;
        } catch (KeyStoreException | RuntimeException e) {
            audit.record(Operation.REWRAP, null, targetKek, Outcome.FAILURE, e.getMessage());
            throw e;
        }
    }

    int rekey(int maxEntries) throws KeyStoreException {
        try {
            int remaining = maintenance.rekey(maxEntries);
            audit.record(Operation.REKEY, null, storeKekIds(), Outcome.SUCCESS, "key epoch "
                    + sealer.backend().epoch() + ", " + remaining + " entries remain");
            return remaining;
        } catch (KeyStoreException | RuntimeException e) {
            audit.record(Operation.REKEY, null, null, Outcome.FAILURE, e.getMessage());
            throw e;
        }
    }

    long rotateBranchKey() throws KeyStoreException {
        try {
            long version = maintenance.rotateBranchKey();
            audit.record(Operation.ROTATE_BRANCH_KEY, null, storeKekIds(), Outcome.SUCCESS, "branch key version "
                    + version + " is active");
            return version;
        } catch (KeyStoreException | RuntimeException e) {
            audit.record(Operation.ROTATE_BRANCH_KEY, null, null, Outcome.FAILURE, e.getMessage());
            throw e;
        }
    }

    KekInventory inventory() throws KeyStoreException {
        return maintenance.inventory();
    }

    java.util.Map<String, String> verify() throws KeyStoreException {
        return maintenance.verify();
    }

    StoreBackend backend() throws KeyStoreException {
        return sealer.backend();
    }

    /** The shared context (cache, key services) of this store. */
    StoreContext context() {
        return ctx;
    }
}
