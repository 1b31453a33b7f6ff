package io.dynamicshare.kek;

/**
 * How a data key is wrapped. The algorithm decides the CMS RecipientInfo type: key transport for RSA,
 * KEK (key wrap) for AES.
 */
public enum WrapAlgorithm {
    /** RSAES-OAEP with SHA-256 and MGF1-SHA-256 (Key Vault's {@code RSA-OAEP-256}). */
    RSA_OAEP_256("RSA-OAEP-256"),
    /** AES-256 key wrap, RFC 3394 (Key Vault's {@code A256KW}). */
    AES_KW_256("A256KW");

    private final String jwaName;

    WrapAlgorithm(String jwaName) {
        this.jwaName = jwaName;
    }

    /** The JSON Web Algorithm name Key Vault uses. */
    public String jwaName() {
        return jwaName;
    }
}
