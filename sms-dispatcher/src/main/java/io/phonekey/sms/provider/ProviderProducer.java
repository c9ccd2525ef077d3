package io.phonekey.sms.provider;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import io.phonekey.sms.config.SmsConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Chooses the provider named by SMS_PROVIDER and refuses incomplete Twilio settings at start-up. */
public class ProviderProducer {

    /**
     * Made at start-up (on the main thread), not at the first message: building the Twilio SDK's HTTP client loads a
     * few hundred classes, which blocked both event loops for about 5 s when the first record arrived (readiness probes
     * timed out in the PostgreSQL fault check), and incomplete settings stop the start instead of the first send.
     */
    @Produces
    @ApplicationScoped
    @Startup
    SmsProvider provider(SmsConfig config) {
        return switch (config.provider()) {
            case "console" -> {
                if (ConfigUtils.isProfileActive("prod")) {
                    Log.warn("SMS_PROVIDER=console: messages are only logged, never delivered");
                }
                yield new ConsoleProvider(config.consoleShowsCode());
            }
            case "twilio" -> {
                SmsConfig.Twilio t = config.twilio();
                String sid = t.accountSid().orElseThrow(() -> missing("TWILIO_ACCOUNT_SID"));
                String token = t.authToken().orElseThrow(() -> missing("TWILIO_AUTH_TOKEN"));
                if (t.fromNumber().isEmpty() && t.messagingServiceSid().isEmpty()) {
                    throw missing("TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID");
                }
                yield new TwilioProvider(sid, token, t.fromNumber().orElse(null),
                        t.messagingServiceSid().orElse(null), t.apiBaseUrl().orElse(null), config.publicUrl(),
                        config.maxInFlight(), t.timeout());
            }
            default ->
                throw new IllegalStateException("SMS_PROVIDER must be console or twilio, not " + config.provider());
        };
    }

    /**
     * libphonenumber loads its metadata on first use: done here, on the main thread before the consumers start, it
     * does not block an event loop for seconds at the first record (seen in the PostgreSQL fault check).
     */
    void loadPhoneMetadata(@Observes @Priority(2) StartupEvent event) {
        Phones.region("+447400000000");
    }

    private static IllegalStateException missing(String what) {
        return new IllegalStateException("SMS_PROVIDER=twilio needs " + what);
    }
}
