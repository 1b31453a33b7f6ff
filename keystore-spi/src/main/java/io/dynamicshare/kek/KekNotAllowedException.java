package io.dynamicshare.kek;

/**
 * A store named a KEK that the configuration does not allow ({@link KekPolicy}). Thrown before any key
 * service is contacted, so it says nothing about the key service's state.
 */
public final class KekNotAllowedException extends KekException {
    private static final long serialVersionUID = 1L;

    public KekNotAllowedException(String kekId, String message) {
        super(kekId, message);
    }
}
