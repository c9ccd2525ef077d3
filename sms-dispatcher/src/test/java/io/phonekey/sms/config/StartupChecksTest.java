package io.phonekey.sms.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** What the prod profile refuses, on the real configuration mapping; other profiles accept the same settings. */
class StartupChecksTest {

    static SmsConfig config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("sms.admin-api-keys", "ops:a-real-admin-key",
                "sms.event-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
        values.putAll(extra);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(SmsConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 100)).build();
        return config.getConfigMapping(SmsConfig.class);
    }

    static String refusal(Map<String, String> settings) {
        SmsConfig config = config(settings);
        assertDoesNotThrow(() -> StartupChecks.verify(config, false));
        return assertThrows(IllegalStateException.class, () -> StartupChecks.verify(config, true)).getMessage();
    }

    @Test
    void eachDevelopmentDefaultIsRefusedByName() {
        assertEquals("SMS_ADMIN_API_KEYS holds the local development key: set real keys in the prod profile",
                refusal(Map.of("sms.admin-api-keys", "local:local-sms-admin-key")));
        assertEquals(true, refusal(Map.of("sms.console-shows-code", "true")).startsWith("SMS_CONSOLE_SHOW_CODE=true"));
        assertEquals("SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID", refusal(Map.of("sms.provider", "twilio")));
        assertEquals("SMS_PROVIDER=twilio needs TWILIO_AUTH_TOKEN",
                refusal(Map.of("sms.provider", "twilio", "sms.twilio.account-sid", "AC1")));
    }

    @Test
    void productionSettingsPass() {
        assertDoesNotThrow(() -> StartupChecks.verify(config(Map.of()), true));
        assertDoesNotThrow(() -> StartupChecks.verify(config(Map.of("sms.provider", "twilio",
                "sms.twilio.account-sid", "AC1", "sms.twilio.auth-token", "t", "sms.twilio.from-number",
                "+15005550006")),
                true));
    }
}
