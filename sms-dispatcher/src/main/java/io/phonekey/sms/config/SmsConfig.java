package io.phonekey.sms.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of the SMS courier; the environment variables listed in docs/operations.md override each one. */
@ConfigMapping(prefix = "sms")
public interface SmsConfig {

    /** {@code console} (development: logs the message) or {@code twilio} (SMS_PROVIDER). */
    @WithDefault("console")
    String provider();

    /**
     * Whether the console provider's log shows codes (SMS_CONSOLE_SHOW_CODE). Off by default so that a production
     * deployment that forgot SMS_PROVIDER never writes codes to its logs; the local stack turns it on.
     */
    @WithDefault("false")
    boolean consoleShowsCode();

    /** The URL Twilio reaches this service at; status callbacks and signatures use it (SMS_PUBLIC_URL). */
    @WithDefault("http://localhost:8084")
    String publicUrl();

    /** The product name in messages (SMS_APP_NAME). */
    @WithDefault("PhoneKey")
    String appName();

    /** The answer to HELP and INFO (SMS_HELP_TEXT); {@code {app}} is the product name. */
    @WithDefault("{app}: verification codes. Reply STOP to unsubscribe, START to resubscribe.")
    String helpText();

    /** The answer to an opt-out keyword such as STOP (SMS_OPT_OUT_TEXT); {@code {app}} is the product name. */
    @WithDefault("{app}: you are unsubscribed. Only codes you request will be sent. Reply START to resubscribe.")
    String optOutText();

    /** The answer to an opt-in keyword such as START (SMS_OPT_IN_TEXT); {@code {app}} is the product name. */
    @WithDefault("{app}: you are subscribed again. Reply STOP to unsubscribe, HELP for help.")
    String optInText();

    /**
     * The host of the site that reads codes with the WebOTP API (SMS_WEB_OTP_DOMAIN): when set, every SMS ends in the
     * line {@code @<domain> #<code>}. WhatsApp messages never carry it.
     */
    Optional<String> webOtpDomain();

    /** AES-256 keys (base64, comma-separated) that may have sealed a code in otp.requested (OTP_EVENT_KEY). */
    List<String> eventKey();

    /**
     * The kinds of {@code security.notice} sent by SMS (SMS_NOTICE_KINDS), comma-separated; {@code none} for none.
     * Every notice costs a message, so the quieter kinds are left to Telegram.
     */
    @WithDefault("new_device_login,password_reset,phone_changed")
    List<String> noticeKinds();

    /** A notice older than this is dropped, not sent: after an outage, stale news is noise (SMS_NOTICE_LIFETIME). */
    @WithDefault("24h")
    Duration noticeLifetime();

    /**
     * How long a claimed ({@code queued}) message belongs to the consumer that claimed it. A redelivered record whose
     * row is younger waits (a rebalance gave it to two consumers); an older one was interrupted by a crash and is sent
     * once more. Longer than the longest stretch between two renewals: tries with their timeouts and backoff; a
     * courier that waits longer (for a provider that is down, for a message the provider does not list yet) renews
     * its claim first.
     */
    @WithDefault("60s")
    Duration claimLease();

    /**
     * How long a graceful stop waits for the messages in flight to settle (SMS_SHUTDOWN_DRAIN). Below the pod's
     * termination grace period; a message still in flight after it is sent again by the partition's next owner.
     */
    @WithDefault("20s")
    Duration shutdownDrain();

    /** A message whose code has less than this left is dropped, not sent. */
    @WithDefault("30s")
    Duration minRemaining();

    /** Quick tries per message for transport errors and 5xx, before it waits the provider out (providerPatience). */
    @WithDefault("3")
    int maxTries();

    /**
     * How long a message keeps trying while the provider is down, after its quick tries (SMS_PROVIDER_PATIENCE): a try
     * every eight times the retry backoff, its claim renewed before each, as long as the code is worth sending. A
     * provider outage shorter than this delays codes instead of failing them; 0s fails a message when its quick tries
     * ran out.
     */
    @WithDefault("5m")
    Duration providerPatience();

    /** First retry delay; doubles with jitter. */
    @WithDefault("500ms")
    Duration retryBackoff();

    /**
     * How many messages the courier works on at once, across its consumers (SMS_MAX_IN_FLIGHT): admitted from Kafka
     * and not yet settled, whether sending, waiting for their phone's earlier message or for the sender's rate. A
     * full courier takes no more records (the connector pauses its partitions); nothing is lost. Also the number of
     * provider threads and HTTP connections.
     */
    @WithDefault("256")
    int maxInFlight();

    /**
     * The ceiling of messages per second per sender (SMS_SENDER_MPS): a from-number per channel or a messaging
     * service, as the provider counts it. A token bucket that holds one second's worth; a message over it waits.
     */
    @WithDefault("100")
    int senderMps();

    /** Twilio account settings, used when the provider is {@code twilio}. */
    Twilio twilio();

    /** What a segment costs, in USD, to estimate a message before it is sent. */
    Price price();

    /** Daily (UTC) spend caps in USD; a message that would pass one is refused, not sent. */
    Cap cap();

    /**
     * Keys of the admin API (SMS_ADMIN_API_KEYS): comma-separated {@code name:key} pairs, sent as
     * {@code Authorization: Bearer <key>}.
     */
    @WithDefault("local:local-sms-admin-key")
    String adminApiKeys();

    /** Prices per segment. */
    interface Price {
        /** SMS_PRICE_DEFAULT: the price of one segment to a country without its own. */
        @WithName("default")
        @WithDefault("0.0079")
        BigDecimal defaultPrice();

        /** SMS_PRICE_PER_COUNTRY: {@code ISO:price} pairs, comma-separated, e.g. {@code GB:0.04,US:0.0079}. */
        Optional<String> perCountry();
    }

    /** Daily caps; each is an amount in USD or {@code none} (no cap). */
    interface Cap {
        /** SMS_CAP_PHONE_DAILY: what one phone number may cost per day. */
        @WithDefault("0.08")
        String phoneDaily();

        /** SMS_CAP_COUNTRY_DAILY: {@code ISO:amount} pairs, comma-separated, e.g. {@code GB:50,US:100,NG:none}. */
        Optional<String> countryDaily();

        /** SMS_CAP_COUNTRY_DAILY_DEFAULT: the budget of a country without its own. */
        @WithDefault("100")
        String countryDailyDefault();
    }

    /** Twilio account settings. */
    interface Twilio {
        /** TWILIO_ACCOUNT_SID. */
        Optional<String> accountSid();

        /** TWILIO_AUTH_TOKEN. */
        Optional<String> authToken();

        /** TWILIO_FROM_NUMBER: the sender, unless a messaging service is set. */
        Optional<String> fromNumber();

        /** TWILIO_MESSAGING_SERVICE_SID: send through a messaging service instead of one number. */
        Optional<String> messagingServiceSid();

        /** TWILIO_API_BASE_URL: another host for the real SDK (an edge, or a stand-in server in tests). */
        Optional<String> apiBaseUrl();

        /**
         * TWILIO_TIMEOUT: how long one request waits for Twilio's answer once it is sent (the socket timeout). A send
         * that times out may still have been taken, so its retry asks Twilio's message list first.
         */
        @WithDefault("10s")
        Duration timeout();
    }
}
