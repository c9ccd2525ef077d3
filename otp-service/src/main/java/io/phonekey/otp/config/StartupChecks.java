package io.phonekey.otp.config;

import java.util.List;
import java.util.Locale;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;

import io.phonekey.contract.security.DevDefaults;
import io.phonekey.contract.text.ApiKeyRing;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Refuses to start with settings that are unsafe in production, naming the variable; OTP_CODE_PEPPERS and
 * OTP_EVENT_KEY have no default in any profile but dev and test.
 */
public class StartupChecks {

    /** Priority 1: before any other start-up observer acts on the settings. */
    void check(@Observes @Priority(1) StartupEvent event, OtpConfig config) {
        verify(config, ConfigUtils.isProfileActive("prod"));
    }

    /** Throws when a setting is unsafe or out of range; {@code prod} applies the production-only rules. */
    public static void verify(OtpConfig config, boolean prod) {
        // Parsed here too, so a malformed value is refused before anything else starts.
        DevDefaults.refuse(prod, "OTP_API_KEYS", config.apiKeys(), DevDefaults.OTP_KEY);
        DevDefaults.refuse(prod, "OTP_ADMIN_API_KEYS", config.adminApiKeys(), DevDefaults.ADMIN_KEY);
        ApiKeyRing backend = ApiKeyRing.parse("OTP_API_KEYS", config.apiKeys());
        ApiKeyRing admin = ApiKeyRing.parse("OTP_ADMIN_API_KEYS", config.adminApiKeys());
        if (!java.util.Collections.disjoint(backend.names(), admin.names())) {
            throw new IllegalStateException("OTP_API_KEYS and OTP_ADMIN_API_KEYS must not share a key name");
        }
        if (prod && config.exposeCode()) {
            throw new IllegalStateException("OTP_EXPOSE_CODE=true is refused in the prod profile");
        }
        if (prod && config.testNumbers().filter(l -> !l.isEmpty()).isPresent()) {
            // A fixed code in production is a back door; test numbers are for staging and demos.
            throw new IllegalStateException("OTP_TEST_NUMBERS is refused in the prod profile");
        }
        if (config.codeLength() < 4 || config.codeLength() > 10) {
            throw new IllegalStateException("otp.code-length must be between 4 and 10");
        }
        if (config.expiry().compareTo(config.maxExpiry()) > 0) {
            throw new IllegalStateException("otp.expiry exceeds otp.max-expiry");
        }
        config.purposes().forEach((name, p) -> {
            p.codeLength().filter(n -> n < 4 || n > 10).ifPresent(n -> {
                throw new IllegalStateException("otp.purpose." + name + ".code-length must be between 4 and 10");
            });
            p.expiry().filter(e -> e.compareTo(config.maxExpiry()) > 0).ifPresent(e -> {
                throw new IllegalStateException("otp.purpose." + name + ".expiry exceeds otp.max-expiry");
            });
        });
        if (!List.of("block", "monitor", "off").contains(config.fraud().mode().trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("otp.fraud.mode must be block, monitor or off");
        }
        if (config.fraud().minConversion() < 0 || config.fraud().minConversion() > 1) {
            throw new IllegalStateException("otp.fraud.min-conversion must be between 0 and 1");
        }
        config.eventKey();
        for (String pepper : config.codePeppers()) {
            if (pepper.length() < 32) {
                throw new IllegalStateException("every OTP_CODE_PEPPERS entry needs at least 32 characters");
            }
        }
    }
}
