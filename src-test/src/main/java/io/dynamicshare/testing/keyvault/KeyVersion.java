package io.dynamicshare.testing.keyvault;

import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;

import javax.crypto.SecretKey;

/**
 * One version of a key. Key material and identity are immutable; the attributes that {@code PATCH} may change
 * are guarded by this object's monitor so a reader never sees a half-applied update.
 */
final class KeyVersion {

    final String name;
    final String version;
    final String kty;
    final int keySize;
    final long created;
    /** RSA / RSA-HSM only. */
    final KeyPair rsa;
    /** oct / oct-HSM only; never serialized (an HSM never releases it). */
    final SecretKey secret;

    private boolean enabled;
    private long updated;
    private Long notBefore;
    private Long expires;
    private List<String> keyOps;
    private Map<String, String> tags;

    KeyVersion(String name, String version, String kty, int keySize, KeyPair rsa, SecretKey secret,
               long created, boolean enabled, List<String> keyOps, Map<String, String> tags,
               Long notBefore, Long expires) {
        this.name = name;
        this.version = version;
        this.kty = kty;
        this.keySize = keySize;
        this.rsa = rsa;
        this.secret = secret;
        this.created = created;
        this.updated = created;
        this.enabled = enabled;
        this.keyOps = List.copyOf(keyOps);
        this.tags = tags == null ? null : Map.copyOf(tags);
        this.notBefore = notBefore;
        this.expires = expires;
    }

    boolean isRsa() {
        return rsa != null;
    }

    RSAPublicKey rsaPublic() {
        if (rsa == null) {
            throw new IllegalStateException("Key " + name + "/" + version + " is not an RSA key");
        }
        return (RSAPublicKey) rsa.getPublic();
    }

    /** Consistent copy of the mutable attributes, for serialization. */
    synchronized Snapshot snapshot() {
        return new Snapshot(enabled, updated, notBefore, expires, keyOps, tags);
    }

    synchronized boolean enabled() {
        return enabled;
    }

    synchronized void update(Boolean newEnabled, Long newNbf, Long newExp, List<String> newOps,
                             Map<String, String> newTags, long now) {
        if (newEnabled != null) {
            enabled = newEnabled;
        }
        if (newNbf != null) {
            notBefore = newNbf;
        }
        if (newExp != null) {
            expires = newExp;
        }
        if (newOps != null) {
            keyOps = List.copyOf(newOps);
        }
        if (newTags != null) {
            tags = Map.copyOf(newTags);
        }
        updated = now;
    }

    /** Immutable view of the mutable attributes at one instant. */
    record Snapshot(boolean enabled, long updated, Long notBefore, Long expires, List<String> keyOps,
                    Map<String, String> tags) {
    }
}
