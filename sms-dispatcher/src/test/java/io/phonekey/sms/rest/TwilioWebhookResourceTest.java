package io.phonekey.sms.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.sms.support.EventSchemas;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.TopicReader;
import io.phonekey.sms.support.TwilioSignatures;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Twilio status callbacks: signatures, forward-only status, duplicates, each change on otp.delivery. */
@QuarkusTest
@QuarkusTestResource(TwilioStandInResource.class)
class TwilioWebhookResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String URL = "http://localhost:8084/twilio/status";
    private static Events events;
    private static TopicReader deliveries;

    @BeforeAll
    static void setUp() {
        events = new Events();
        deliveries = new TopicReader("otp.delivery");
    }

    @AfterAll
    static void tearDown() {
        events.close();
        deliveries.close();
    }

    static int callback(String token, Map<String, String> params) throws Exception {
        return given().contentType("application/x-www-form-urlencoded").formParams(params)
                .header("X-Twilio-Signature", TwilioSignatures.sign(URL, token, params)).post("/twilio/status")
                .statusCode();
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
        assertEquals(403, callback("not-the-token", delivered), "forged signature");
        assertEquals(204, callback("test-auth-token", delivered));
        String json = deliveries.await(r -> r.value().contains(id) && r.value().contains("\"delivered\"")).value();
        EventSchemas.assertValid("otp-delivery.v1.json", json);

        assertEquals(204, callback("test-auth-token", delivered), "a duplicate changes nothing");
        assertEquals(204, callback("test-auth-token",
                Map.of("MessageSid", sid, "MessageStatus", "sent")), "a late 'sent' changes nothing");
        long changes = deliveries.drain(Duration.ofSeconds(2)).stream().filter(r -> r.value().contains(id))
                .filter(r -> !r.value().contains("\"status\":\"sent\"")).count();
        assertEquals(1, changes, "exactly one published change after 'sent'");
        given().contentType("application/x-www-form-urlencoded").formParams(delivered).post("/twilio/status")
                .then().statusCode(403);
    }
}
