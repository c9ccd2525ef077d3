package io.phonekey.otp.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonekey.contract.security.ApiKeyMechanism;
import io.phonekey.contract.text.ApiKeyRing;
import io.phonekey.otp.config.OtpConfig;

/**
 * Who may call: keys of OTP_API_KEYS are backends (role {@value #BACKEND}: the Verify API), keys of OTP_ADMIN_API_KEYS
 * are operators (role {@value #ADMIN}: the conversion watch). Each resource names the role it needs.
 */
@Singleton
public class ApiKeys extends ApiKeyMechanism {

    public static final String BACKEND = "backend";
    public static final String ADMIN = "admin";

    public ApiKeys(OtpConfig config, MeterRegistry metrics) {
        super(rings(config), metrics);
    }

    private static Map<String, ApiKeyRing> rings(OtpConfig config) {
        Map<String, ApiKeyRing> rings = new LinkedHashMap<>();
        rings.put(BACKEND, ApiKeyRing.parse("OTP_API_KEYS", config.apiKeys()));
        rings.put(ADMIN, ApiKeyRing.parse("OTP_ADMIN_API_KEYS", config.adminApiKeys()));
        return rings;
    }
}
