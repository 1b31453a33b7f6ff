package io.dynamicshare.kek;

/**
 * Finds the {@link Kek} for a key reference: a configured key name, or a versioned {@link KekId} recorded
 * in a store. Configuration supplies only credentials; which key to use comes from the reference itself.
 */
public interface KekResolver {

    /**
     * @param reference a key name ({@code https://v.vault.azure.net/keys/k}) or a version id
     * @throws KekException if no key service handles the reference or it cannot be opened
     */
    Kek resolve(String reference) throws KekException;
}
