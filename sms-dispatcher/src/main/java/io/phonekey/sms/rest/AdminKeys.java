package io.phonekey.sms.rest;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.text.ApiKeyRing;
import io.phonekey.sms.config.SmsConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;

/** The admin API's keys (SMS_ADMIN_API_KEYS, {@code name:key} pairs), compared in constant time. */
@Startup
@ApplicationScoped
public class AdminKeys {

    static final String LOCAL_KEY = "local-sms-admin-key";

    private final ApiKeyRing keys;

    public AdminKeys(SmsConfig config) {
        this.keys = ApiKeyRing.parse("SMS_ADMIN_API_KEYS", config.adminApiKeys());
        if (keys.holds(LOCAL_KEY) && ConfigUtils.isProfileActive("prod")) {
            Log.warn("SMS_ADMIN_API_KEYS still holds the local development key: set real keys");
        }
    }

    public ApiKeyRing ring() {
        return keys;
    }
}
