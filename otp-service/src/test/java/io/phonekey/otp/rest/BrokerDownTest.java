package io.phonekey.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.phonekey.otp.repository.VerificationStore;
import io.phonekey.otp.support.Codes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * When otp.requested cannot be published (here: a topic the broker does not have), the create answers 503, sends
 * nothing, keeps the user's previous code alive and charges no send against the limits; a cancel whose otp.canceled
 * cannot be published answers 503 and leaves the code working.
 */
@QuarkusTest
@TestProfile(BrokerDownTest.UnpublishableTopic.class)
class BrokerDownTest {

    /** Publishing fails after 2 s because the topic does not exist and auto-creation is off. */
    public static class UnpublishableTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.outgoing.otp-requested.topic", "otp.requested.missing",
                    "mp.messaging.outgoing.otp-requested.max.block.ms", "2000", "otp.limit.phone-gap", "30s",
                    "mp.messaging.outgoing.otp-canceled.topic", "otp.canceled.missing",
                    "mp.messaging.outgoing.otp-canceled.max.block.ms", "2000");
        }
    }

    @Inject
    VerificationStore store;

    @Test
    void aFailedPublishIsA503ThatLeavesThePreviousCodeAndTheLimitsUntouched() {
        String phone = Codes.freshPhone();
        String previous = VerificationStore.newId(phone);
        store.create(new VerificationStore.NewVerification(previous, phone, "GB", "login", null, 600_000, 60_000,
                false, Map.of("id", previous, "phone", phone, "purpose", "login", "channel", "sms", "status",
                        "pending", "hash", "x:AA==", "attempts_left", "5", "expires_at",
                        java.time.Instant.now().plusSeconds(600).toString())),
                new VerificationStore.Limits(0, 1000, 1000, 1000, 100_000),
                new VerificationStore.Watch("off", 300_000, 30, 150, 3_600_000), null, "seed")
                .await().indefinitely();

        for (int attempt = 0; attempt < 2; attempt++) {
            // The second try is a 503 again, not a 429: the failed first try did not use up the 30 s gap.
            given().auth().oauth2("local-otp-key").contentType(ContentType.JSON).body(Map.of("phone", phone))
                    .post("/api/v1/verifications").then().statusCode(503)
                    .body("code", equalTo("service_unavailable"));
        }
        given().auth().oauth2("local-otp-key").get("/api/v1/verifications/" + previous).then().statusCode(200)
                .body("status", equalTo("pending"));

        // A cancel whose otp.canceled cannot be published is a 503 that leaves the code pending, and a retry can
        // still cancel it (a 503 again here, not a 404).
        for (int attempt = 0; attempt < 2; attempt++) {
            given().auth().oauth2("local-otp-key").delete("/api/v1/verifications/" + previous).then()
                    .statusCode(503).body("code", equalTo("service_unavailable"));
            given().auth().oauth2("local-otp-key").get("/api/v1/verifications/" + previous).then()
                    .statusCode(200).body("status", equalTo("pending"));
        }
        given().auth().oauth2("local-otp-key").contentType(ContentType.JSON).body(Map.of("phone", phone,
                "code", "000000")).post("/api/v1/verifications/check").then().statusCode(422);
    }
}
