package io.phonekey.otp.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of the Verify API; every property can be overridden by the environment variable of the same name. */
@ConfigMapping(prefix = "otp")
public interface OtpConfig {

    /** API keys as comma-separated {@code name:key} pairs (OTP_API_KEYS). */
    String apiKeys();

    /** Operator keys for {@code /api/v1/admin/*}, {@code name:key} pairs (OTP_ADMIN_API_KEYS); backend keys get 403. */
    String adminApiKeys();

    /**
     * Secrets for the code HMAC (OTP_CODE_PEPPERS), comma-separated: the first signs, all verify, so a pepper can rotate.
     * They live outside Redis so a copy of Redis alone does not allow an offline guess of the codes.
     */
    @WithName("code-peppers")
    Optional<List<String>> codePeppersSetting();

    /** {@link #codePeppersSetting()}, which every profile must set (a start without it stops, naming the variable). */
    default List<String> codePeppers() {
        return codePeppersSetting().orElseThrow(() -> new IllegalStateException(
                "OTP_CODE_PEPPERS must be set: one or more secrets of at least 32 characters, comma-separated"));
    }

    /**
     * AES-256 keys for the code carried in {@code otp.requested} (OTP_EVENT_KEY), comma-separated base64: the first
     * encrypts, the delivery services accept all of them.
     */
    @WithName("event-key")
    Optional<List<String>> eventKeySetting();

    /** {@link #eventKeySetting()}, which every profile must set. */
    default List<String> eventKey() {
        return eventKeySetting().orElseThrow(() -> new IllegalStateException(
                "OTP_EVENT_KEY must be set: base64 AES-256 keys, comma-separated, the same in every service"));
    }

    /** Adds {@code debug_code} to the create answer (OTP_EXPOSE_CODE). Refused at start-up in the prod profile. */
    @WithDefault("false")
    boolean exposeCode();

    /** Base URL of the Telegram WebApp page linked from {@code link_telegram} messages (PUBLIC_BASE_URL). */
    @WithDefault("http://localhost:8083")
    String publicBaseUrl();

    /** Code length, 4 to 10 digits. */
    @WithDefault("6")
    int codeLength();

    /** How long a code lives. */
    @WithDefault("10m")
    Duration expiry();

    /** Upper bound for any configured expiry. */
    @WithDefault("30m")
    Duration maxExpiry();

    /** Checks allowed per verification before it is dead. */
    @WithDefault("5")
    int maxAttempts();

    /** Consecutive failed checks for one phone, across codes, before the phone is locked. */
    @WithDefault("20")
    int phoneFailureLock();

    /** First lock period; it doubles with each further lock while failures continue. */
    @WithDefault("15m")
    Duration phoneLockDuration();

    /** ISO 3166 regions that may receive codes; empty means all. */
    Optional<List<String>> allowedCountries();

    /** How long a finished or expired verification stays readable, so GET can say {@code expired}. */
    @WithDefault("15m")
    Duration retention();

    /**
     * Test numbers as comma-separated {@code phone:code} pairs (OTP_TEST_NUMBERS): the code is fixed, nothing is sent
     * or billed. For demos and app-store reviews on staging; refused at start-up in the prod profile.
     */
    Optional<List<String>> testNumbers();

    /** Send limits. */
    Limit limit();

    /** The conversion watch (SMS pumping defence). */
    Fraud fraud();

    /** Per-purpose overrides of length, expiry and attempts. */
    @WithName("purpose")
    Map<String, PurposeSettings> purposes();

    /** Send limits (anti-pumping and cost). */
    interface Limit {
        /** Minimum gap between two sends to one phone (OTP_LIMIT_PHONE_GAP). */
        @WithName("phone-gap")
        @WithDefault("30s")
        Duration phoneGap();

        /** Sends per phone in 15 minutes (OTP_LIMIT_PHONE_15M). */
        @WithName("phone-15m")
        @WithDefault("3")
        int phone15m();

        /** Sends per phone in 24 hours (OTP_LIMIT_PHONE_24H). */
        @WithName("phone-24h")
        @WithDefault("10")
        int phone24h();

        /** Sends per client IP in one hour (OTP_LIMIT_IP_1H). */
        @WithName("ip-1h")
        @WithDefault("30")
        int ip1h();

        /** Sends per number prefix (the number without its last 4 digits) in one hour (OTP_LIMIT_PREFIX_1H). */
        @WithName("prefix-1h")
        @WithDefault("100")
        int prefix1h();
    }

    /**
     * Codes sent versus approved per number prefix (the number without its last 4 digits) and per country, over a
     * sliding window. Pumped traffic is almost never approved, so a prefix with enough sends and a conversion below
     * {@code min-conversion} is blocked for {@code block-duration} (or only flagged in {@code monitor} mode).
     */
    interface Fraud {
        /** {@code block}, {@code monitor} (flag only) or {@code off} (OTP_FRAUD_MODE). */
        @WithDefault("block")
        String mode();

        /** The sliding window, counted in 12 buckets (OTP_FRAUD_WINDOW). */
        @WithDefault("1h")
        Duration window();

        /** Sends a prefix needs in the window before its conversion is judged (OTP_FRAUD_MIN_SENDS). */
        @WithName("min-sends")
        @WithDefault("30")
        int minSends();

        /** Approved / sent below which a prefix is blocked, 0 to 1 (OTP_FRAUD_MIN_CONVERSION). */
        @WithName("min-conversion")
        @WithDefault("0.15")
        double minConversion();

        /** How long a block lasts (OTP_FRAUD_BLOCK_DURATION). */
        @WithName("block-duration")
        @WithDefault("1h")
        Duration blockDuration();
    }

    /** Overrides for one purpose. */
    interface PurposeSettings {
        /** Code length for this purpose. */
        Optional<Integer> codeLength();

        /** Expiry for this purpose. */
        Optional<Duration> expiry();

        /** Attempts for this purpose. */
        Optional<Integer> maxAttempts();
    }
}
