package io.dynamicshare.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * A store's aliases, one page at a time ({@code WHERE alias > last ORDER BY alias LIMIT n}): constant memory, and no
 * connection held between pages, so an application may stop iterating at any point. An alias written or deleted while
 * iterating may or may not be seen (as with any keyset pagination); none is seen twice.
 */
final class AliasPages implements Iterator<String> {
    private final JdbcConnections db;
    private final UUID store;
    private final int pageSize;
    private List<String> page = new ArrayList<>();
    private int next;
    private String last = "";
    private boolean exhausted;

    AliasPages(JdbcConnections db, UUID store, int pageSize) {
        this.db = db;
        this.store = store;
        this.pageSize = pageSize;
    }

    @Override
    public boolean hasNext() {
        if (next < page.size()) {
            return true;
        }
        if (exhausted) {
            return false;
        }
        fetch();
        return next < page.size();
    }

    @Override
    public String next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.get(next++);
    }

    private void fetch() {
        List<String> out = new ArrayList<>(pageSize);
        try (Connection c = db.get(); PreparedStatement s = c.prepareStatement("SELECT alias FROM "
                + "server_wallet_key_shares WHERE store_id = ? AND alias > ? ORDER BY alias LIMIT ?")) {
            s.setQueryTimeout(db.timeoutSeconds);
            s.setObject(1, store);
            s.setString(2, last);
            s.setInt(3, pageSize);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        } catch (SQLException e) {
            // Enumeration has no checked exception: the KeyStore's aliases() caller sees the database's cause.
            throw new IllegalStateException(JdbcConnections.failure(null, "listing aliases", e).getMessage(), e);
        }
        page = out;
        next = 0;
        exhausted = out.size() < pageSize;
        if (!out.isEmpty()) {
            last = out.get(out.size() - 1);
        }
    }
}
