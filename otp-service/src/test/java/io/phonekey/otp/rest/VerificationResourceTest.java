package io.phonekey.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.contract.testing.TopicReader;
import io.phonekey.otp.support.Codes;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The Verify API against the real Redis and Kafka: codes, events, single use, attempts and bad input. */
@QuarkusTest
class VerificationResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TopicReader requested;
    private static TopicReader verified;
    private static TopicReader canceled;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void subscribe() {
        requested = new TopicReader("otp.requested");
        verified = new TopicReader("otp.verified");
        canceled = new TopicReader("otp.canceled");
    }

    @AfterAll
    static void close() {
        requested.close();
        verified.close();
        canceled.close();
    }

    static RequestSpecification api() {
        return given().auth().oauth2("local-otp-key").contentType(ContentType.JSON);
    }

    /** Creates a verification and returns the code recovered from its otp.requested event. */
    static String[] create(String phone, String purpose) throws Exception {
        String id = api().body(Map.of("phone", phone, "purpose", purpose)).post("/api/v1/verifications")
                .then().statusCode(201).extract().path("id");
        ConsumerRecord<String, String> r = requested.await(rec -> rec.value().contains(id));
        return new String[]{id, Codes.decrypt(JSON.readTree(r.value()))};
    }

    @Test
    void codeTravelsEncryptedAndIsApprovedOnce() throws Exception {
        String phone = Codes.freshPhone();
        String national = "0" + phone.substring(3);
        String id = api().body(Map.of("phone", national, "region", "GB", "metadata", Map.of("order", 42)))
                .post("/api/v1/verifications")
                .then().statusCode(201)
                .body("phone", equalTo(phone))
                .body("channel", equalTo("sms"))
                .body("purpose", equalTo("login"))
                .body("status", equalTo("pending"))
                .body("expires_in", equalTo(600))
                .body("attempts_left", equalTo(5))
                .body("resend_after", notNullValue())
                .body("debug_code", nullValue())
                .extract().path("id");

        ConsumerRecord<String, String> record = requested.await(r -> r.value().contains(id));
        assertEquals(phone, record.key(), "events are keyed by phone");
        Map<String, String> headers = TopicReader.headers(record);
        assertEquals("io.phonekey.otp.requested.v1", headers.get("ce_type"));
        assertNotNull(headers.get("ce_id"));
        assertNotNull(headers.get("ce_source"));
        assertNotNull(headers.get("ce_time"));
        EventSchemas.assertValid(EventType.OTP_REQUESTED, record.value());
        JsonNode event = JSON.readTree(record.value());
        String code = Codes.decrypt(event);
        assertEquals(6, code.length());
        assertFalse(record.value().contains(code), "the code never travels in clear");

        String wrong = code.equals("000000") ? "111111" : "000000";
        api().body(Map.of("verification_id", id, "code", wrong)).post("/api/v1/verifications/check")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("invalid_code")).body("attempts_left", equalTo(4));

        api().body(Map.of("phone", phone, "code", code, "context", Map.of("chat_id", 7)))
                .post("/api/v1/verifications/check")
                .then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("approved")).body("metadata.order", equalTo(42));

        ConsumerRecord<String, String> done = verified.await(r -> r.value().contains(id));
        EventSchemas.assertValid(EventType.OTP_VERIFIED, done.value());
        assertFalse(done.value().contains(code));
        assertEquals(7, JSON.readTree(done.value()).at("/context/chat_id").asInt());

        api().body(Map.of("verification_id", id, "code", code)).post("/api/v1/verifications/check")
                .then().statusCode(404).body("code", equalTo("not_found"));
        api().get("/api/v1/verifications/" + id).then().statusCode(200).body("status", equalTo("approved"));
    }

    @Test
    void fiveWrongCodesKillTheVerification() throws Exception {
        String[] v = create(Codes.freshPhone(), "login");
        String wrong = v[1].equals("999999") ? "888888" : "999999";
        for (int left = 4; left >= 0; left--) {
            api().body(Map.of("verification_id", v[0], "code", wrong)).post("/api/v1/verifications/check")
                    .then().statusCode(422).body("attempts_left", equalTo(left));
        }
        api().body(Map.of("verification_id", v[0], "code", v[1])).post("/api/v1/verifications/check")
                .then().statusCode(429).body("code", equalTo("max_attempts_reached"));
        api().get("/api/v1/verifications/" + v[0]).then().statusCode(200)
                .body("status", equalTo("max_attempts_reached")).body("attempts_left", equalTo(0));
    }

    @Test
    void fiftyConcurrentChecksApproveExactlyOnce() throws Exception {
        String[] v = create(Codes.freshPhone(), "login");
        HttpClient http = HttpClient.newHttpClient();
        String body = JSON.writeValueAsString(Map.of("verification_id", v[0], "code", v[1]));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/verifications/check"))
                    .header("Authorization", "Bearer local-otp-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> answers = calls.stream().map(CompletableFuture::join).toList();
        long approved = answers.stream().filter(r -> r.statusCode() == 200).count();
        assertEquals(1, approved);
    }

    @Test
    void aNewCodeReplacesThePendingOneAndCodesAreBoundToTheirPurpose() throws Exception {
        String phone = Codes.freshPhone();
        String[] first = create(phone, "login");
        String[] second = create(phone, "login");
        api().get("/api/v1/verifications/" + first[0]).then().body("status", equalTo("canceled"));
        api().body(Map.of("verification_id", first[0], "code", first[1])).post("/api/v1/verifications/check")
                .then().statusCode(404);
        api().body(Map.of("phone", phone, "purpose", "password_reset", "code", second[1]))
                .post("/api/v1/verifications/check").then().statusCode(404);
        api().body(Map.of("verification_id", second[0], "purpose", "password_reset", "code", second[1]))
                .post("/api/v1/verifications/check").then().statusCode(404);
        api().body(Map.of("phone", phone, "code", second[1])).post("/api/v1/verifications/check")
                .then().statusCode(200);
    }

    @Test
    void cancelledCodesNoLongerWorkAndTheCancellationIsAnnounced() throws Exception {
        String phone = Codes.freshPhone();
        String[] v = create(phone, "2fa");
        api().delete("/api/v1/verifications/" + v[0]).then().statusCode(204);
        api().delete("/api/v1/verifications/" + v[0]).then().statusCode(404);
        api().body(Map.of("verification_id", v[0], "code", v[1])).post("/api/v1/verifications/check")
                .then().statusCode(404);
        ConsumerRecord<String, String> r = canceled.await(rec -> rec.value().contains(v[0]));
        EventSchemas.assertValid("otp.canceled", r.value());
        assertEquals(phone, r.key());
        JsonNode event = JSON.readTree(r.value());
        assertEquals("2fa", event.path("purpose").asText());
        assertEquals("sms", event.path("channel").asText());
        assertFalse(r.value().contains(v[1]), "otp.canceled never carries the code");
    }

    @Test
    void concurrentCancelsOfOneCodeSucceedOnceAndAnnounceOnce() throws Exception {
        String[] v = create(Codes.freshPhone(), "login");
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/verifications/" + v[0]))
                    .header("Authorization", "Bearer local-otp-key").DELETE().build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
        assertEquals(1, statuses.stream().filter(s -> s == 204).count(), statuses.toString());
        assertEquals(29, statuses.stream().filter(s -> s == 404).count(), statuses.toString());
        canceled.await(rec -> rec.value().contains(v[0]));
        assertEquals(1, canceled.drain(Duration.ofSeconds(2)).stream().filter(rec -> rec.value().contains(v[0]))
                .count(), "one otp.canceled for one cancellation");
        api().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aReplacingCodeNamesTheCodeItReplaced() throws Exception {
        String phone = Codes.freshPhone();
        String[] first = create(phone, "login");
        String[] second = create(phone, "login");
        JsonNode event = JSON.readTree(requested.await(rec -> rec.value().contains(second[0])).value());
        assertEquals(first[0], event.path("replaces").asText());
        JsonNode original = JSON.readTree(requested.await(rec -> rec.value().contains(first[0])).value());
        assertTrue(original.path("replaces").isMissingNode(), "a first code replaces nothing");
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        api().body(Map.of("phone", "12")).post("/api/v1/verifications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_phone")).body("status", equalTo(400)).body("title", notNullValue());
        api().body(Map.of("phone", "+448001234567")).post("/api/v1/verifications")
                .then().statusCode(400).body("code", equalTo("invalid_phone"));
        api().body(Map.of("phone", Codes.freshPhone(), "channel", "pigeon")).post("/api/v1/verifications")
                .then().statusCode(400).body("field", equalTo("channel"));
        api().body(Map.of("phone", Codes.freshPhone(), "purpose", "transaction")).post("/api/v1/verifications")
                .then().statusCode(400).body("field", equalTo("amount"));
        api().body("{\"phone\": 447700900123}").post("/api/v1/verifications")
                .then().statusCode(400).body("field", equalTo("phone"));
        api().body("{\"phone\": ").post("/api/v1/verifications")
                .then().statusCode(400).body("code", equalTo("malformed_json"));
        api().body(Map.of("verification_id", "x", "code", "12ab")).post("/api/v1/verifications/check")
                .then().statusCode(400).body("field", equalTo("code"));
        given().contentType(ContentType.JSON).body(Map.of("phone", Codes.freshPhone()))
                .post("/api/v1/verifications").then().statusCode(401).body("code", equalTo("unauthorized"));
        given().auth().oauth2("wrong").contentType(ContentType.JSON).body(Map.of("phone", Codes.freshPhone()))
                .post("/api/v1/verifications").then().statusCode(401);
        api().get("/api/v1/verifications/unknown").then().statusCode(404);
    }

    @Test
    void transactionCodesApproveOnlyTheirAmountAndPayee() throws Exception {
        String phone = Codes.freshPhone();
        String id = api().body(Map.of("phone", phone, "purpose", "transaction", "amount", "129.99 EUR", "payee",
                "ACME Books")).post("/api/v1/verifications").then().statusCode(201).extract().path("id");
        JsonNode event = JSON.readTree(requested.await(r -> r.value().contains(id)).value());
        assertEquals("129.99 EUR", event.get("amount").asText());
        String code = Codes.decrypt(event);
        api().body(Map.of("verification_id", id, "code", code, "amount", "999.99 EUR", "payee", "ACME Books"))
                .post("/api/v1/verifications/check").then().statusCode(422);
        api().body(Map.of("verification_id", id, "code", code, "amount", "129.99 EUR", "payee", "ACME Books"))
                .post("/api/v1/verifications/check").then().statusCode(200);
    }

    @Test
    void aRetriedCreateWithTheSameIdempotencyKeySendsNothingNew() throws Exception {
        String phone = Codes.freshPhone();
        String key = "order-" + phone;
        String first = api().header("Idempotency-Key", key).body(Map.of("phone", phone))
                .post("/api/v1/verifications").then().statusCode(201).extract().path("id");
        // The replay answers the 201's shape, not the GET view: a client's retry logic reads the same fields.
        String again = api().header("Idempotency-Key", key).body(Map.of("phone", phone))
                .post("/api/v1/verifications").then().statusCode(201).body("status", equalTo("pending"))
                .body("expires_in", org.hamcrest.Matchers.greaterThan(500))
                .body("resend_after", org.hamcrest.Matchers.notNullValue())
                .body("attempts_left", equalTo(5)).extract().path("id");
        assertEquals(first, again);
        requested.await(r -> r.value().contains(first));
        assertEquals(1, requested.drain(java.time.Duration.ofSeconds(1)).stream()
                .filter(r -> phone.equals(r.key())).count(), "one message for one idempotent request");
        api().header("Idempotency-Key", key).body(Map.of("phone", Codes.freshPhone()))
                .post("/api/v1/verifications").then().statusCode(422).body("code", equalTo("idempotency_key_reused"));
    }

    @Test
    void twentyConsecutiveFailuresLockThePhoneAcrossNewCodes() throws Exception {
        String phone = Codes.freshPhone();
        String[] v = null;
        for (int code = 0; code < 4; code++) {
            v = create(phone, "login");
            String wrong = v[1].equals("999999") ? "888888" : "999999";
            for (int i = 0; i < 5; i++) {
                int expected = code == 3 && i == 4 ? 429 : 422;
                api().body(Map.of("verification_id", v[0], "code", wrong)).post("/api/v1/verifications/check")
                        .then().statusCode(expected);
            }
        }
        api().body(Map.of("phone", phone)).post("/api/v1/verifications")
                .then().statusCode(429).header("Retry-After", notNullValue()).body("limit", equalTo("phone_locked"));
    }
}
