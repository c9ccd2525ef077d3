package io.phonekey.sms.provider;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.phonekey.sms.config.SmsConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Chooses the provider named by SMS_PROVIDER and refuses incomplete Twilio settings at start-up. */
public class ProviderProducer {

    @Produces
    @ApplicationScoped
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
                        config.maxInFlight());
            }
            default ->
                throw new IllegalStateException("SMS_PROVIDER must be console or twilio, not " + config.provider());
        };
    }

    private static IllegalStateException missing(String what) {
        return new IllegalStateException("SMS_PROVIDER=twilio needs " + what);
    }
}
