package io.dynamicshare.entry;

import java.security.KeyStore;
import java.util.Objects;

/** One name/value attribute of a wallet entry; see {@link WalletAttributes} for the names. */
public final class WalletAttribute implements KeyStore.Entry.Attribute {
    private final String name;
    private final String value;

    public WalletAttribute(String name, String value) {
        this.name = Objects.requireNonNull(name, "name");
        this.value = Objects.requireNonNull(value, "value");
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getValue() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyStore.Entry.Attribute && name.equals(((KeyStore.Entry.Attribute) o).getName())
                && value.equals(((KeyStore.Entry.Attribute) o).getValue());
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + value.hashCode();
    }

    /** Attributes hold metadata, which is not secret. */
    @Override
    public String toString() {
        return name + "=" + value;
    }
}
