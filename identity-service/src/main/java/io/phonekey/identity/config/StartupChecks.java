package io.phonekey.identity.config;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;

import io.phonekey.contract.security.DevDefaults;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Refuses to start in the prod profile with a development default, naming the variable. */
public class StartupChecks {

    /** Priority 1: before any other start-up observer acts on the settings. */
    void check(@Observes @Priority(1) StartupEvent event, IdentityConfig config) {
        verify(config, ConfigUtils.isProfileActive("prod"));
    }

    public static void verify(IdentityConfig config, boolean prod) {
        DevDefaults.refuse(prod, "OTP_API_KEYS", config.otpApiKeys(), DevDefaults.OTP_KEY);
        DevDefaults.refuse(prod, "IDENTITY_ADMIN_API_KEYS", config.adminApiKeys(), DevDefaults.ADMIN_KEY);
        io.phonekey.identity.token.KeyVault.of(config.signing().secret());
        if (config.signing().publishAhead().compareTo(config.signing().rotation()) >= 0) {
            throw new IllegalStateException(
                    "IDENTITY_SIGNING_KEY_PUBLISH_AHEAD must be shorter than IDENTITY_SIGNING_KEY_ROTATION");
        }
    }
}
