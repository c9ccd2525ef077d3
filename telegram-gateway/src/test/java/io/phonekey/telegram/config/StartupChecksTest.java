package io.phonekey.telegram.config;

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

/** The start-up rules on the real configuration mapping. */
class StartupChecksTest {

    static TelegramConfig config(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("telegram.otp-api-keys", "gateway:a-real-key",
                "telegram.event-key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
        values.putAll(extra);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(TelegramConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 100)).build();
        return config.getConfigMapping(TelegramConfig.class);
    }

    static String refused(TelegramConfig config, boolean prod) {
        return assertThrows(IllegalStateException.class, () -> StartupChecks.verify(config, prod)).getMessage();
    }

    @Test
    void theLocalOtpKeyAndABotWithoutATokenAreRefusedInProduction() {
        TelegramConfig local = config(Map.of("telegram.otp-api-keys", "local:local-otp-key"));
        assertEquals("OTP_API_KEYS holds the local development key: set real keys in the prod profile",
                refused(local, true));
        assertDoesNotThrow(() -> StartupChecks.verify(local, false));
        TelegramConfig noToken = config(Map.of("telegram.mode", "polling"));
        assertEquals("TELEGRAM_MODE=polling needs TELEGRAM_BOT_TOKEN", refused(noToken, true));
        assertDoesNotThrow(() -> StartupChecks.verify(config(Map.of()), true));
    }

    @Test
    void aWebhookNeedsAStrongSecretAndAUrlInEveryProfile() {
        Map<String, String> webhook = Map.of("telegram.mode", "webhook", "telegram.bot-token", "1:abc",
                "telegram.webhook-url", "https://phonekey.example/telegram/webhook");
        assertEquals(true,
                refused(config(webhook), false).startsWith("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET"));
        Map<String, String> weak = new HashMap<>(webhook);
        weak.put("telegram.webhook-secret", "short");
        assertEquals(true,
                refused(config(weak), false).startsWith("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET"));
        Map<String, String> strong = new HashMap<>(webhook);
        strong.put("telegram.webhook-secret", "0123456789abcdefABCDEF_-xy");
        assertDoesNotThrow(() -> StartupChecks.verify(config(strong), true));
        Map<String, String> noUrl = new HashMap<>(strong);
        noUrl.remove("telegram.webhook-url");
        assertEquals("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL", refused(config(noUrl), false));
        assertEquals(true, refused(config(Map.of("telegram.mode", "push")), false).startsWith("TELEGRAM_MODE must be"));
    }
}
