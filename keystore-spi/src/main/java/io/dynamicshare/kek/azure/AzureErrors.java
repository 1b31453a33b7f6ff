package io.dynamicshare.kek.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KeyRefusedException;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the Azure SDK throws into a {@link KekException} that names the key id, the HTTP status and
 * Key Vault's error code ({@code KeyNotFound}, {@code Forbidden}, {@code Throttled}, ...).
 */
final class AzureErrors {
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_.]+)\"");

    private AzureErrors() {
    }

    static KekException map(String kekId, String operation, RuntimeException e) {
        if (e instanceof HttpResponseException) {
            HttpResponseException h = (HttpResponseException) e;
            int status = h.getResponse() == null ? -1 : h.getResponse().getStatusCode();
            String code = errorCode(h);
            String what = e instanceof ClientAuthenticationException ? " (authentication failed)" : "";
            if (status == 404 && "unwrapKey".equals(operation)) {
                return new KeyRefusedException(kekId, code, "Key Vault has no such key version (HTTP 404): it was "
                        + "deleted, or the stored key id was altered", e);
            }
            if (status == 400 && "unwrapKey".equals(operation)) {
                // The vault read the request and could not decrypt it: the wrapped bytes are bad, not the vault.
                return new KeyRefusedException(kekId, code, "Key Vault could not unwrap the key (HTTP 400): the "
                        + "wrapped key was altered or was wrapped by another key", e);
            }
            return new KekException(kekId, code, "Key Vault refused " + operation + ": HTTP " + status + what, e);
        }
        // Connection refused, timeouts, TLS failures, credential errors: the vault never answered.
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new KekException(kekId, null, "Key Vault could not be reached for " + operation + ": "
                + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + shorten(root.getMessage())), e);
    }

    /**
     * True when {@code e} says the vault could not answer now (unreachable, timed out, throttled, 5xx) rather than
     * that it refused: a refusal (4xx, or a key the store cannot use) does not go away by waiting.
     */
    static boolean isTransient(KekException e) {
        Throwable cause = e.getCause();
        if (!(cause instanceof RuntimeException)) {
            return false;
        }
        if (!(cause instanceof HttpResponseException) || ((HttpResponseException) cause).getResponse() == null) {
            return true;
        }
        int status = ((HttpResponseException) cause).getResponse().getStatusCode();
        return status == 408 || status == 429 || status >= 500;
    }

    /**
     * True when the vault answered about the key itself: it does not exist (404), is disabled (403 saying so), or
     * the request about it was invalid (400). Credentials, permissions and outages are not the key's answer.
     */
    static boolean refusesTheKey(RuntimeException e) {
        if (!(e instanceof HttpResponseException) || ((HttpResponseException) e).getResponse() == null) {
            return false;
        }
        int status = ((HttpResponseException) e).getResponse().getStatusCode();
        String code = errorCode((HttpResponseException) e);
        String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return status == 404 || status == 400
                || (status == 403 && ("KeyDisabled".equals(code) || text.contains("disabled")));
    }

    /** The service's error code: from the parsed body when the SDK kept it, else from the message. */
    static String errorCode(HttpResponseException e) {
        Object value = e.getValue();
        if (value instanceof Map) {
            Object error = ((Map<?, ?>) value).get("error");
            if (error instanceof Map && ((Map<?, ?>) error).get("code") != null) {
                return String.valueOf(((Map<?, ?>) error).get("code"));
            }
        }
        for (String text : new String[] {value == null ? null : String.valueOf(value), e.getMessage()}) {
            if (text != null) {
                Matcher m = CODE.matcher(text);
                if (m.find()) {
                    return m.group(1);
                }
            }
        }
        return null;
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
