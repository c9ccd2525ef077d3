package io.phonekey.otp.config;

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

/** The start-up rules on the real configuration mapping: what production refuses, and what no profile accepts. */
class StartupChecksTest {

    static OtpConfig config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(
                Map.of("otp.api-keys", "shop:key", "otp.admin-api-keys", "ops:admin-key", "otp.code-peppers",
                        "a-pepper-of-at-least-thirty-two-characters", "otp.event-key",
                        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
        values.putAll(extra);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(OtpConfig.class)
                // Quarkus's duration syntax (10m, 1h) as in application.properties
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 100)).build();
        return config.getConfigMapping(OtpConfig.class);
    }

    @Test
    void testNumbersAreRefusedInProductionOnly() {
        OtpConfig withTestNumbers = config(Map.of("otp.test-numbers", "+447400999001:424242"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> StartupChecks.verify(withTestNumbers, true));
        assertEquals("OTP_TEST_NUMBERS is refused in the prod profile", e.getMessage());
        assertDoesNotThrow(() -> StartupChecks.verify(withTestNumbers, false));
    }

    @Test
    void anExposedCodeIsRefusedInProductionOnly() {
        OtpConfig exposing = config(Map.of("otp.expose-code", "true"));
        assertThrows(IllegalStateException.class, () -> StartupChecks.verify(exposing, true));
        assertDoesNotThrow(() -> StartupChecks.verify(exposing, false));
        assertDoesNotThrow(() -> StartupChecks.verify(config(Map.of()), true));
    }

    @Test
    void outOfRangeSettingsAreRefusedEverywhere() {
        assertThrows(IllegalStateException.class,
                () -> StartupChecks.verify(config(Map.of("otp.code-length", "3")), false));
        assertThrows(IllegalStateException.class,
                () -> StartupChecks.verify(config(Map.of("otp.purpose.login.code-length", "11")), false));
        assertThrows(IllegalStateException.class,
                () -> StartupChecks.verify(config(Map.of("otp.purpose.login.expiry", "2h")), false));
        assertThrows(IllegalStateException.class,
                () -> StartupChecks.verify(config(Map.of("otp.code-peppers", "short")), false));
    }

    @Test
    void theLocalKeysAreRefusedInProductionByName() {
        OtpConfig local = config(Map.of("otp.api-keys", "local:local-otp-key"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StartupChecks.verify(local, true));
        assertEquals(true, e.getMessage().startsWith("OTP_API_KEYS holds the local development key"), e.getMessage());
        assertDoesNotThrow(() -> StartupChecks.verify(local, false));
        OtpConfig localAdmin = config(Map.of("otp.admin-api-keys", "local-admin:local-admin-key"));
        e = assertThrows(IllegalStateException.class, () -> StartupChecks.verify(localAdmin, true));
        assertEquals(true, e.getMessage().startsWith("OTP_ADMIN_API_KEYS holds the local development key"),
                e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> StartupChecks.verify(config(Map.of("otp.admin-api-keys", "shop:other")), false));
    }

    @Test
    void missingSecretsAreNamed() {
        OtpConfig none = config(Map.of("otp.code-peppers", ""));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StartupChecks.verify(none, false));
        assertEquals(true, e.getMessage().startsWith("OTP_CODE_PEPPERS must be set"), e.getMessage());
        OtpConfig noKey = config(Map.of("otp.event-key", ""));
        e = assertThrows(IllegalStateException.class, () -> StartupChecks.verify(noKey, true));
        assertEquals(true, e.getMessage().startsWith("OTP_EVENT_KEY must be set"), e.getMessage());
    }
}
