package io.phonekey.telegram.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the Telegram gateway; the environment variables in docs/operations.md override them. */
@ConfigMapping(prefix = "telegram")
public interface TelegramConfig {

    /** {@code webhook}, {@code polling} or {@code off} (TELEGRAM_MODE); {@code off} when no bot token is set. */
    @WithDefault("off")
    String mode();

    /** TELEGRAM_BOT_TOKEN. */
    Optional<String> botToken();

    /** TELEGRAM_API_URL: another Bot API server (a local one, or a stand-in in tests). */
    @WithDefault("https://api.telegram.org")
    String apiUrl();

    /** TELEGRAM_WEBHOOK_URL: where Telegram posts updates, ending in {@code /telegram/webhook}. */
    Optional<String> webhookUrl();

    /** TELEGRAM_WEBHOOK_SECRET: at least 128 bits, 1-256 characters of {@code A-Za-z0-9_-}. */
    Optional<String> webhookSecret();

    /** PUBLIC_BASE_URL: where this service is reached from outside (the WebApp page, Gateway API reports). */
    @WithDefault("http://localhost:8083")
    String publicBaseUrl();

    /** OTP_EVENT_KEY: the keys that open the sealed code of {@code otp.requested}. */
    List<String> eventKey();

    /** otp-service API keys (OTP_API_KEYS, {@code name:key} pairs); this service calls with the first. */
    @WithDefault("local:local-otp-key")
    String otpApiKeys();

    /** How old a WebApp {@code initData} may be. */
    @WithDefault("1h")
    Duration initDataMaxAge();

    /** Outbound Bot API messages per chat and second (Telegram's limit is about 1). */
    @WithDefault("1")
    int perChatPerSecond();

    /** Outbound Bot API messages per second overall (Telegram's limit is about 30). */
    @WithDefault("30")
    int overallPerSecond();

    /** How many times a message is tried at most (429 with retry_after, transport errors). */
    @WithDefault("3")
    int maxTries();

    /** The Telegram Gateway API step of {@code auto}. */
    Gateway gateway();

    /** TELEGRAM_GATEWAY_*: unset token, no Gateway step. */
    interface Gateway {

        /** TELEGRAM_GATEWAY_TOKEN. */
        Optional<String> token();

        /** TELEGRAM_GATEWAY_URL. */
        @WithDefault("https://gatewayapi.telegram.org")
        String url();

        /** TELEGRAM_GATEWAY_FALLBACK_AFTER: no delivery report by then, the code goes by SMS. */
        @WithDefault("20s")
        Duration fallbackAfter();

        /** How far a report's X-Request-Timestamp may be from now. */
        @WithDefault("5m")
        Duration reportMaxSkew();
    }

    /** Whether the bot can deliver anything at all. */
    default boolean botEnabled() {
        return !"off".equals(mode()) && botToken().filter(t -> !t.isBlank()).isPresent();
    }

    /** The key this service presents to otp-service. */
    default String otpApiKey() {
        String first = otpApiKeys().split(",")[0].strip();
        return first.substring(first.indexOf(':') + 1);
    }
}
