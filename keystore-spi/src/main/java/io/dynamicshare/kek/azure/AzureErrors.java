package io.dynamicshare.kek.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import io.dynamicshare.kek.KekException;
import io.dynamicshare.kek.KeyRefusedException;

import javax.net.ssl.SSLException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the Azure SDK throws into a {@link KekException} that names the key id, the HTTP status and
 * Key Vault's error code ({@code KeyNotFound}, {@code Forbidden}, {@code Throttled}, ...), or, when no answer came,
 * the real cause: the credential and its token endpoint with the AADSTS code, a refused connection, the deadline.
 */
final class AzureErrors {
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Za-z0-9_.]+)\"");
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");
    private static final Pattern CHALLENGE =
            Pattern.compile("The challenge resource '([^']*)' does not match the requested domain");

    private AzureErrors() {
    }

    static KekException map(String kekId, String operation, RuntimeException e) {
        if (e instanceof AzureDeadline.OperationTimeoutException) {
            return new KekException(kekId, null, e.getMessage(), e);
        }
        if (e instanceof AzureDeadline.RetryAfterBeyondDeadlineException) {
            AzureDeadline.RetryAfterBeyondDeadlineException r = (AzureDeadline.RetryAfterBeyondDeadlineException) e;
            return new KekException(kekId, r.code, "Key Vault refused " + operation + ": " + e.getMessage(), e);
        }
        TracedCredential.TokenException token = find(e, TracedCredential.TokenException.class);
        if (token != null) {
            return new KekException(kekId, null, "Key Vault " + operation + " needs an access token, and "
                    + token.getMessage(), e);
        }
        Matcher challenge = CHALLENGE.matcher(messages(e));
        if (challenge.find()) {
            // The SDK's own text names SecretClientBuilder and is cut by nothing here: say the setting instead.
            return new KekException(kekId, null, "Key Vault " + operation + ": the vault's authentication challenge "
                    + "names the resource '" + challenge.group(1) + "', which is not a parent domain of the vault's "
                    + "host; a local emulator or test double does this: set azure.disableChallengeResourceVerification=true"
                    + " for it (never for a real vault)", e);
        }
        if (e instanceof HttpResponseException && ((HttpResponseException) e).getResponse() != null) {
            HttpResponseException h = (HttpResponseException) e;
            int status = h.getResponse().getStatusCode();
            String code = errorCode(h);
            if (status == 404 && "unwrapKey".equals(operation)) {
                return new KeyRefusedException(kekId, code, "Key Vault has no such key version (HTTP 404): it was "
                        + "deleted, or the stored key id was altered", e);
            }
            if (status == 400 && "unwrapKey".equals(operation)) {
                // The vault read the request and could not decrypt it: the wrapped bytes are bad, not the vault.
                return new KeyRefusedException(kekId, code, "Key Vault could not unwrap the key (HTTP 400): the "
                        + "wrapped key was altered or was wrapped by another key", e);
            }
            String what = e instanceof ClientAuthenticationException ? " (authentication failed)" : "";
            return new KekException(kekId, code, "Key Vault refused " + operation + ": HTTP " + status + what, e);
        }
        // Connection refused, timeouts, TLS failures: the vault never answered.
        return new KekException(kekId, null, "Key Vault could not be reached for " + operation + ": " + cause(e), e);
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
        if (cause instanceof AzureDeadline.RetryAfterBeyondDeadlineException) {
            return AzureDeadline.retriableStatus(((AzureDeadline.RetryAfterBeyondDeadlineException) cause).status);
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
                // Only the disabled-key answer itself ("Operation get is not allowed on a disabled key"): a 403 for a
                // firewall or private-link change ("Public network access is disabled ...") is an outage.
                || (status == 403 && ("KeyDisabled".equals(code) || text.contains("disabled key")));
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

    /**
     * The real cause of a failure, in words: {@code connection refused}, {@code timed out}, the token endpoint's
     * AADSTS code and error, a TLS failure, or the innermost exception's class and message.
     */
    static String cause(Throwable e) {
        AzureIdentityHttp.GaveUpException gaveUp = find(e, AzureIdentityHttp.GaveUpException.class);
        if (gaveUp != null) {
            return gaveUp.getMessage();
        }
        MsalServiceException msal = find(e, MsalServiceException.class);
        if (msal != null && msal.getMessage() != null) {
            Matcher m = AADSTS.matcher(msal.getMessage());
            String code = m.find() ? m.group() : null;
            StringBuilder b = new StringBuilder();
            if (code != null) {
                b.append(code).append(' ');
            }
            if (msal.errorCode() != null) {
                b.append('(').append(msal.errorCode()).append(")");
            }
            if (msal.statusCode() != null) {
                b.append(" HTTP ").append(msal.statusCode());
            }
            return b.append(": ").append(shorten(msal.getMessage(), 400)).toString().trim();
        }
        if (find(e, ConnectException.class) != null) {
            return "connection refused (" + shorten(find(e, ConnectException.class).getMessage(), 200) + ")";
        }
        if (find(e, UnknownHostException.class) != null) {
            return "unknown host " + find(e, UnknownHostException.class).getMessage();
        }
        if (find(e, NoRouteToHostException.class) != null) {
            return "no route to host";
        }
        if (find(e, SocketTimeoutException.class) != null || find(e, InterruptedIOException.class) != null
                || find(e, TimeoutException.class) != null) {
            return "timed out waiting for an answer";
        }
        if (find(e, SSLException.class) != null) {
            return "TLS failure: " + shorten(find(e, SSLException.class).getMessage(), 300)
                    + " (for a local endpoint, put its CA in azure.trustStore)";
        }
        MsalException client = find(e, MsalException.class);
        Throwable root = client != null ? client : e;
        while (client == null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + shorten(root.getMessage(), 400));
    }

    /** Every message of the cause chain, joined. */
    static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable x = e; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (x.getMessage() != null) {
                b.append(x.getMessage()).append(" | ");
            }
        }
        return b.toString();
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable x = e; x != null; x = x.getCause() == x ? null : x.getCause()) {
            if (type.isInstance(x)) {
                return type.cast(x);
            }
            for (Throwable s : x.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }

    private static String shorten(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }
}
