package io.phonekey.identity.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.phonekey.contract.testing.TestPhones;
import io.phonekey.contract.testing.TwilioStandIn;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The central flow across the four packaged services, as `deploy/local/stack test` runs them: request-otp →
 * otp.requested on the real broker → sms-dispatcher's real Twilio SDK posts to this test's stand-in → the code from
 * that SMS → verify-otp → the JWT verifies against the JWKS → /me → otp.verified on the topic, and no event carries
 * the code in clear.
 */
@EnabledIfSystemProperty(named = "e2e", matches = "true")
class LoginFlowE2ETest {

    private static final Pattern CODE = Pattern.compile("verification code is: (\\d{6})");
    private static TwilioStandIn twilio;
    private static KafkaConsumer<String, String> events;
    private static String identity;

    @BeforeAll
    static void start() throws IOException {
        identity = System.getProperty("phonekey.e2e.identity", "http://localhost:18082");
        twilio = new TwilioStandIn(Integer.getInteger("phonekey.e2e.twilio-port", 18999));

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, System.getProperty("phonekey.e2e.kafka", "127.0.0.1:19092"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        events = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        events.subscribe(List.of("otp.requested", "otp.verified", "otp.delivery"));
        long deadline = System.currentTimeMillis() + 15_000;
        while (events.assignment().size() < 3 && System.currentTimeMillis() < deadline) {
            events.poll(Duration.ofMillis(100));
        }
        events.seekToEnd(events.assignment());
        events.assignment().forEach(events::position);
    }

    @AfterAll
    static void stop() {
        twilio.close();
        events.close();
    }

    @Test
    void loginBySmsCodeAcrossAllServices() throws Exception {
        String phone = TestPhones.fresh();
        String national = TestPhones.national(phone);

        String verificationId = given().baseUri(identity).contentType(ContentType.JSON)
                .body(Map.of("phone", national, "region", "GB"))
                .post("/api/auth/request-otp").then().statusCode(202)
                .body("delivery_method", equalTo("sms")).extract().path("verification_id");

        Map<String, String> sms = twilio.await(phone, 1, Duration.ofSeconds(30));
        Matcher m = CODE.matcher(sms.get("Body"));
        assertTrue(m.find(), "the SMS carries the code: " + sms.get("Body").replaceAll("\\d{6}", "******"));
        String code = m.group(1);
        assertTrue(sms.get("Body").contains("This code expires in 10 minutes."));
        assertEquals("http://localhost:18084/twilio/status", sms.get("StatusCallback"));

        JsonPath tokens = given().baseUri(identity).contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "otp_code", code, "device_name", "e2e"))
                .post("/api/auth/verify-otp").then().statusCode(200).extract().jsonPath();
        assertTrue(tokens.getBoolean("is_new_user"));
        String accessToken = tokens.getString("access_token");

        String jwks = given().baseUri(identity).get("/.well-known/jwks.json").then().statusCode(200).extract()
                .asString();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(accessToken);
        jws.setKey(new VerificationJwkSelector().select(jws, new JsonWebKeySet(jwks).getJsonWebKeys()).getKey());
        assertTrue(jws.verifySignature(), "the access token verifies against the published JWKS");
        assertEquals(tokens.getString("user_id"), JwtClaims.parse(jws.getPayload()).getSubject());

        given().baseUri(identity).auth().oauth2(accessToken).get("/api/auth/me").then().statusCode(200)
                .body("phone", equalTo(phone)).body("user_id", equalTo(tokens.getString("user_id")));

        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            events.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().anyMatch(r -> r.topic().equals("otp.verified") && r.value().contains(verificationId))
                    && seen.stream()
                            .anyMatch(r -> r.topic().equals("otp.delivery") && r.value().contains(verificationId));
        });
        for (ConsumerRecord<String, String> r : seen) {
            if (r.value().contains(verificationId)) {
                assertEquals(phone, r.key(), r.topic() + " is keyed by phone");
                assertFalse(r.value().contains(code), r.topic() + " must not carry the code in clear");
            }
        }

        given().baseUri(identity).auth().oauth2(accessToken).post("/api/auth/logout").then().statusCode(204);
        given().baseUri(identity).auth().oauth2(accessToken).get("/api/auth/me").then().statusCode(401);
        given().baseUri(identity).contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "otp_code", code)).post("/api/auth/verify-otp").then().statusCode(404);
    }
}
