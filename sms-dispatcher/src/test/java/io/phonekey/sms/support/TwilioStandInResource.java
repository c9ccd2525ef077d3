package io.phonekey.sms.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts the Twilio stand-in before Quarkus and points the service's real Twilio SDK at it. */
public class TwilioStandInResource implements QuarkusTestResourceLifecycleManager {

    /** The running stand-in, for the tests' assertions. */
    public static TwilioStandIn standIn;

    @Override
    public Map<String, String> start() {
        try {
            standIn = new TwilioStandIn(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("sms.twilio.api-base-url", "http://127.0.0.1:" + standIn.port());
    }

    @Override
    public void stop() {
        standIn.close();
    }
}
