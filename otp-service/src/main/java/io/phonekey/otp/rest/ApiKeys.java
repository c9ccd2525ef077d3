package io.phonekey.otp.rest;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.text.ApiKeyRing;
import io.phonekey.otp.config.OtpConfig;

/** The configured backend API keys (OTP_API_KEYS, {@code name:key} pairs), compared in constant time. */
@ApplicationScoped
public class ApiKeys {

    private final ApiKeyRing keys;

    public ApiKeys(OtpConfig config) {
        this.keys = ApiKeyRing.parse("OTP_API_KEYS", config.apiKeys());
    }

    public ApiKeyRing ring() {
        return keys;
    }
}
