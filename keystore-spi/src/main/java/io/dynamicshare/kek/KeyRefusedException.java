package io.dynamicshare.kek;

/**
 * The key service answered, and refuses what a store names: a wrapped key that does not unwrap under the key it
 * names (altered, or wrapped by another key), a key version that does not exist or is disabled, or a version of
 * another key or type. Unlike other {@link KekException}s (unreachable, throttled, credentials) this says the
 * stored bytes are bad, not the service: a load reports it as an integrity failure. A version disabled after a
 * compromise lands here too: a file that still needs it is forged, or predates the response.
 */
public final class KeyRefusedException extends KekException {
    private static final long serialVersionUID = 1L;

    public KeyRefusedException(String kekId, String errorCode, String message, Throwable cause) {
        super(kekId, errorCode, message, cause);
    }
}
