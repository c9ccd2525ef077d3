package io.phonekey.contract.security;

import io.phonekey.contract.text.ApiKeyRing;

/**
 * The keys the local stack and the tests run with. They are in this repository, so the prod profile refuses every one
 * of them by the variable's name: a deployment that forgot to set a variable stops at start-up instead of running with
 * a public key.
 */
public final class DevDefaults {

    /** OTP_API_KEYS's local value {@code local:local-otp-key}: identity-service and telegram-gateway call with it. */
    public static final String OTP_KEY = "local-otp-key";
    /** The local operator key of otp-service's OTP_ADMIN_API_KEYS and identity-service's IDENTITY_ADMIN_API_KEYS. */
    public static final String ADMIN_KEY = "local-admin-key";

    private DevDefaults() {
    }

    /** Throws when {@code prod} and the ring parsed from {@code variable} holds {@code localKey}. */
    public static void refuse(boolean prod, String variable, String spec, String localKey) {
        ApiKeyRing ring = ApiKeyRing.parse(variable, spec);
        if (prod && ring.holds(localKey)) {
            throw new IllegalStateException(
                    variable + " holds the local development key: set real keys in the prod profile");
        }
    }
}
