package io.phonekey.sms.rest;

import java.util.Map;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonekey.contract.security.ApiKeyMechanism;
import io.phonekey.contract.text.ApiKeyRing;
import io.phonekey.sms.config.SmsConfig;

/**
 * Who may call the admin API: keys of SMS_ADMIN_API_KEYS (role {@value #ADMIN}). Twilio's webhooks sign their
 * requests instead and are open to Quarkus Security ({@code @PermitAll}).
 */
@Singleton
public class AdminKeys extends ApiKeyMechanism {

    public static final String ADMIN = "admin";
    /** The local stack's key; the prod profile refuses it ({@link io.phonekey.sms.config.StartupChecks}). */
    public static final String LOCAL_KEY = "local-sms-admin-key";

    public AdminKeys(SmsConfig config, MeterRegistry metrics) {
        super(Map.of(ADMIN, ApiKeyRing.parse("SMS_ADMIN_API_KEYS", config.adminApiKeys())), metrics);
    }
}
