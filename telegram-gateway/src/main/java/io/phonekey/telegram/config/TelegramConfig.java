package io.phonekey.telegram.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the Telegram gateway; the environment variables of shared/spec/api.md override them. */
@ConfigMapping(prefix = "telegram")
public interface TelegramConfig {

    /** {@code webhook}, {@code polling} or {@code off} (TELEGRAM_MODE); {@code off} when no bot token is set. */
    @WithDefault("off")
    String mode();

    /** TELEGRAM_BOT_TOKEN. */
    Optional<String> botToken();

    /** TELEGRAM_API_URL: another Bot API server (a local one, or a stand-in in tests). */
    Optional<String> apiUrl();

    /** TELEGRAM_WEBHOOK_URL. */
    Optional<String> webhookUrl();

    /** TELEGRAM_WEBHOOK_SECRET: at least 128 bits. */
    Optional<String> webhookSecret();

    /** Whether the bot can deliver anything at all. */
    default boolean botEnabled() {
        return !"off".equals(mode()) && botToken().isPresent();
    }
}
