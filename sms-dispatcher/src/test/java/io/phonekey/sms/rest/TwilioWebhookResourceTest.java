package io.phonekey.sms.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.sms.support.BrokerFixture;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.Metrics;
import io.phonekey.sms.support.TwilioSignatures;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Twilio status callbacks: signatures, forward-only status, duplicates, each change on otp.delivery. */
@QuarkusTest
@QuarkusTestResource(TwilioStandInResource.class)
class TwilioWebhookResourceTest extends BrokerFixture {

    private static final String URL = "http://localhost:8084/twilio/status";

    static int callback(String token, Map<String, String> params) throws Exception {
        return given().contentType("application/x-www-form-urlencoded").formParams(params)
                .header("X-Twilio-Signature", TwilioSignatures.sign(URL, token, params)).post("/twilio/status")
                .statusCode();
    }

    @Test
    void aMessageThatFailsLaterGivesItsSpendBack() throws Exception {
        BigDecimal before = AdminApiTest.countrySpend("IT");
        String phone = "+39347" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
        Map<String, Object> event = Events.requested(phone, "sms", "135246", 600);
        String id = (String) event.get("verification_id");
        events.publish(UUID.randomUUID().toString(), event);
        String sid = JSON.readTree(deliveries.await(r -> r.value().contains(id) && r.value().contains("\"sent\""))
                .value()).get("provider_message_id").asText();
        assertEquals(0, new BigDecimal("0.0079").compareTo(AdminApiTest.countrySpend("IT").subtract(before)));
        Map<String, String> failedLater = Map.of("status", "failed", "reason", "provider_error", "country", "IT");
        double failed = Metrics.sum("phonekey_sms_outcomes_total", failedLater);

        assertEquals(204, callback("test-auth-token", Map.of("MessageSid", sid, "MessageStatus", "failed",
                "ErrorCode", "30008")));
        deliveries.await(r -> r.value().contains(id) && r.value().contains("\"failed\""));
        assertEquals(0, before.compareTo(AdminApiTest.countrySpend("IT")), "a failed message costs nothing");
        assertEquals(failed + 1, Metrics.sum("phonekey_sms_outcomes_total", failedLater),
                () -> Metrics.series("phonekey_sms_outcomes_total"));
    }

    @Test
    void signedCallbacksMoveTheStatusForwardOnly() throws Exception {
        Map<String, Object> event = Events.requested(Events.freshPhone(), "sms", "246810", 600);
        String id = (String) event.get("verification_id");
        events.publish(UUID.randomUUID().toString(), event);
        String sid = JSON.readTree(deliveries.await(r -> r.value().contains(id) && r.value().contains("\"sent\""))
                .value()).get("provider_message_id").asText();

        Map<String, String> delivered = Map.of("MessageSid", sid, "MessageStatus", "delivered", "AccountSid",
                "AC00000000000000000000000000000test");
        Map<String, String> route = Map.of("country", "GB", "provider", "twilio", "channel", "sms");
        double deliveredCount = Metrics.sum("phonekey_sms_outcomes_total",
                Map.of("status", "delivered", "reason", "none", "country", "GB", "purpose", "login"));
        double latencies = Metrics.sum("phonekey_sms_delivery_latency_seconds_count", route);
        double latencySum = Metrics.sum("phonekey_sms_delivery_latency_seconds_sum", route);
        long sentAt = System.nanoTime();
        assertEquals(403, callback("not-the-token", delivered), "forged signature");
        assertEquals(204, callback("test-auth-token", delivered));
        double waited = (System.nanoTime() - sentAt) / 1e9;
        String json = deliveries.await(r -> r.value().contains(id) && r.value().contains("\"delivered\"")).value();
        EventSchemas.assertValid(EventType.OTP_DELIVERY, json);
        // The delivery latency: from the provider's acceptance (before sentAt here) to the callback (within waited).
        assertEquals(deliveredCount + 1, Metrics.sum("phonekey_sms_outcomes_total",
                Map.of("status", "delivered", "reason", "none", "country", "GB", "purpose", "login")));
        assertEquals(latencies + 1, Metrics.sum("phonekey_sms_delivery_latency_seconds_count", route));
        double latency = Metrics.sum("phonekey_sms_delivery_latency_seconds_sum", route) - latencySum;
        assertTrue(latency > 0 && latency < waited + 5, "latency " + latency + " s");

        assertEquals(204, callback("test-auth-token", delivered), "a duplicate changes nothing");
        assertEquals(204, callback("test-auth-token",
                Map.of("MessageSid", sid, "MessageStatus", "sent")), "a late 'sent' changes nothing");
        long changes = deliveries.drain(Duration.ofSeconds(2)).stream().filter(r -> r.value().contains(id))
                .filter(r -> !r.value().contains("\"status\":\"sent\"")).count();
        assertEquals(1, changes, "exactly one published change after 'sent'");
        assertEquals(latencies + 1, Metrics.sum("phonekey_sms_delivery_latency_seconds_count", route),
                "a duplicate is not measured again");
        given().contentType("application/x-www-form-urlencoded").formParams(delivered).post("/twilio/status")
                .then().statusCode(403);
    }
}
