package io.phonekey.telegram.config;

import java.util.regex.Pattern;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;

import io.phonekey.contract.security.DevDefaults;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Refuses settings that cannot work, and in the prod profile the development defaults, naming the variable. */
public class StartupChecks {

    /** Telegram's rule for secret_token (1-256 of A-Za-z0-9_-); 22 characters are 128 bits of base64url. */
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{22,256}");

    /** Priority 1: before any other start-up observer acts on the settings. */
    void check(@Observes @Priority(1) StartupEvent event, TelegramConfig config) {
        verify(config, ConfigUtils.isProfileActive("prod"));
    }

    public static void verify(TelegramConfig config, boolean prod) {
        DevDefaults.refuse(prod, "OTP_API_KEYS", config.otpApiKeys(), DevDefaults.OTP_KEY);
        String mode = config.mode();
        if (!java.util.List.of("webhook", "polling", "off").contains(mode)) {
            throw new IllegalStateException("TELEGRAM_MODE must be webhook, polling or off, not " + mode);
        }
        boolean token = config.botToken().filter(t -> !t.isBlank()).isPresent();
        if (prod && !"off".equals(mode) && !token) {
            throw new IllegalStateException("TELEGRAM_MODE=" + mode + " needs TELEGRAM_BOT_TOKEN");
        }
        if ("webhook".equals(mode) && token) {
            if (config.webhookUrl().filter(u -> !u.isBlank()).isEmpty()) {
                throw new IllegalStateException("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL");
            }
            if (config.webhookSecret().filter(s -> SECRET.matcher(s).matches()).isEmpty()) {
                throw new IllegalStateException("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET: 22 to 256 "
                        + "characters of A-Za-z0-9_- (at least 128 bits)");
            }
        }
    }
}
