package io.phonekey.sms.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;

import io.phonekey.contract.security.DevDefaults;
import io.phonekey.sms.rest.AdminKeys;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Refuses to start in the prod profile with a development default, naming the variable. */
public class StartupChecks {

    /** Priority 1: before any other start-up observer acts on the settings. */
    void check(@Observes @Priority(1) StartupEvent event, SmsConfig config) {
        verify(config, ConfigUtils.isProfileActive("prod"));
    }

    /** Throws the first rule {@code config} breaks; {@code prod} applies the production-only rules. */
    public static void verify(SmsConfig config, boolean prod) {
        DevDefaults.refuse(prod, "SMS_ADMIN_API_KEYS", config.adminApiKeys(), AdminKeys.LOCAL_KEY);
        if (!prod) {
            return;
        }
        if ("console".equals(config.provider()) && config.consoleShowsCode()) {
            throw new IllegalStateException(
                    "SMS_CONSOLE_SHOW_CODE=true is refused in the prod profile: it writes every code to the log");
        }
        if ("twilio".equals(config.provider())) {
            SmsConfig.Twilio t = config.twilio();
            if (t.accountSid().isEmpty()) {
                throw new IllegalStateException("SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID");
            }
            if (t.authToken().isEmpty()) {
                throw new IllegalStateException("SMS_PROVIDER=twilio needs TWILIO_AUTH_TOKEN");
            }
        }
    }
}
