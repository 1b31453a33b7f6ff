package io.dynamicshare.store.jdbc;

import io.dynamicshare.metadata.MetadataException;
import io.dynamicshare.metadata.WalletMetadata;
import io.dynamicshare.store.EntryRecord;
import io.dynamicshare.store.Messages;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStoreException;
import java.util.UUID;

/**
 * The convenience columns of a {@code server_wallet_key_shares} row, derived from an entry's authenticated metadata
 * when it is written (docs/FORMAT.md, "Database rows"). They serve SQL queries only: the read path never trusts them.
 */
final class Rows {
    /** The width of the guide's wallet_id and account_address columns. */
    static final int ID_COLUMN_CHARS = 255;

    final String walletId;
    final String accountAddress;
    /** The metadata as text for the jsonb column; null when jsonb cannot hold it. */
    final String jsonb;
    final String kekIds;

    private Rows(String walletId, String accountAddress, String jsonb, String kekIds) {
        this.walletId = walletId;
        this.accountAddress = accountAddress;
        this.jsonb = jsonb;
        this.kekIds = kekIds;
    }

    /**
     * @throws KeyStoreException naming the alias when the metadata does not parse or an id is wider than its column
     */
    static Rows of(EntryRecord r) throws KeyStoreException {
        byte[] json = r.sealed.binding().metadataJson();
        WalletMetadata m;
        try {
            m = WalletMetadata.parse(json);
        } catch (MetadataException e) {
            throw new KeyStoreException(Messages.alias(r.alias) + "the entry's walletMetadata cannot be read: "
                    + e.getMessage());
        }
        String text = new String(json, StandardCharsets.UTF_8);
        return new Rows(column(r.alias, "walletId", "wallet_id", m.walletId()),
                column(r.alias, "accountAddress", "account_address", m.accountAddress()),
                jsonbSafe(text) ? text : null, r.kekIds());
    }

    private static String column(String alias, String field, String column, String value) throws KeyStoreException {
        String v = value == null ? "" : value;
        if (v.length() > ID_COLUMN_CHARS) {
            throw new KeyStoreException(Messages.alias(alias) + "walletMetadata." + field + " is " + v.length()
                    + " characters; the database column " + column + " holds " + ID_COLUMN_CHARS + ". Nothing was "
                    + "written");
        }
        return v;
    }

    /**
     * False when the JSON text holds an escape PostgreSQL's jsonb refuses: {@code \u0000}, or a UTF-16 surrogate
     * escape (jsonb takes only valid pairs; rather than pair them up here, such a document gets no jsonb copy).
     */
    static boolean jsonbSafe(String json) {
        for (int i = json.indexOf("\\u"); i >= 0; i = json.indexOf("\\u", i + 2)) {
            int backslashes = 0;
            for (int j = i - 1; j >= 0 && json.charAt(j) == '\\'; j--) {
                backslashes++;
            }
            if (backslashes % 2 == 1 || i + 6 > json.length()) {
                continue; // an escaped backslash followed by 'u', not an escape
            }
            String hex = json.substring(i + 2, i + 6).toLowerCase(java.util.Locale.ROOT);
            if (hex.equals("0000") || (hex.charAt(0) == 'd' && hex.charAt(1) >= '8')) {
                return false;
            }
        }
        return true;
    }

    /** The 16-byte store id as the uuid the store_id columns hold. */
    static UUID uuid(byte[] storeId) {
        ByteBuffer b = ByteBuffer.wrap(storeId);
        return new UUID(b.getLong(), b.getLong());
    }

    static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
                .array();
    }
}
