package io.dynamicshare.kek;

/**
 * The key service answered, and the wrapped key does not unwrap under the key it names: the bytes were
 * altered, or wrapped by another key. Unlike other {@link KekException}s (unreachable, forbidden, throttled)
 * this says the stored bytes are bad, not the service: the store reports it as an integrity failure.
 */
public final class UnwrapRefusedException extends KekException {
    private static final long serialVersionUID = 1L;

    public UnwrapRefusedException(String kekId, String errorCode, String message, Throwable cause) {
        super(kekId, errorCode, message, cause);
    }
}
