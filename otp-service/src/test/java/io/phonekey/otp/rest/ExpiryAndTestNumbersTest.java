package io.phonekey.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.TopicReader;
import io.phonekey.otp.repository.VerificationStore;
import io.phonekey.otp.support.Codes;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Expiry set by configuration, test numbers, and concurrent creates, against the real Redis and Kafka. */
@QuarkusTest
@TestProfile(ExpiryAndTestNumbersTest.ShortLived.class)
class ExpiryAndTestNumbersTest {

    static final String TEST_NUMBER = "+447400999001";

    /** 2fa codes live 2 s; one test number with a fixed code; codes exposed so the test can use them. */
    public static class ShortLived implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.purpose.2fa.expiry", "2s", "otp.purpose.signup.expiry", "7m",
                    "otp.test-numbers", TEST_NUMBER + ":424242", "otp.expose-code", "true");
        }
    }

    private static TopicReader requested;

    @Inject
    RedisDataSource redis;

    @BeforeAll
    static void subscribe() {
        requested = new TopicReader("otp.requested");
    }

    @AfterAll
    static void close() {
        requested.close();
    }

    static RequestSpecification api() {
        return given().auth().oauth2("local-otp-key").contentType(ContentType.JSON);
    }

    @Test
    void theConfiguredExpiryEndsTheCodeAndGetSaysExpired() {
        var created = api().body(Map.of("phone", Codes.freshPhone(), "purpose", "2fa"))
                .post("/api/v1/verifications").then().statusCode(201).body("expires_in", equalTo(2)).extract()
                .jsonPath();
        String id = created.getString("id");
        Awaitility.await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                .until(() -> "expired".equals(api().get("/api/v1/verifications/" + id).path("status")));
        // The right code after expiry is refused and does not resurrect the verification.
        api().body(Map.of("verification_id", id, "code", created.getString("debug_code")))
                .post("/api/v1/verifications/check").then().statusCode(404).body("code", equalTo("not_found"));
        api().get("/api/v1/verifications/" + id).then().statusCode(200).body("status", equalTo("expired"));
    }

    @Test
    void eachPurposeHasItsOwnExpiryAndTheRecordOutlivesTheCode() {
        String phone = Codes.freshPhone();
        String signup = api().body(Map.of("phone", phone, "purpose", "signup")).post("/api/v1/verifications")
                .then().statusCode(201).body("expires_in", equalTo(420)).extract().path("id");
        String login = api().body(Map.of("phone", phone)).post("/api/v1/verifications").then().statusCode(201)
                .body("expires_in", equalTo(600)).extract().path("id");
        // The code pointer dies with the code; the record stays for the retention period (15 minutes) after it.
        long pointer = redis.key().pttl(VerificationStore.pointerKey(phone, "signup"));
        long record = redis.key().pttl(VerificationStore.verificationKey(signup));
        assertTrue(pointer > 415_000 && pointer <= 420_000, "pointer ttl " + pointer);
        assertTrue(record > 415_000 + 900_000 && record <= 420_000 + 900_000, "record ttl " + record);
        assertTrue(redis.key().pttl(VerificationStore.verificationKey(login)) > 600_000 + 895_000);
    }

    @Test
    void aTestNumberHasItsFixedCodeAndNothingIsSent() {
        String id = api().body(Map.of("phone", TEST_NUMBER)).post("/api/v1/verifications").then().statusCode(201)
                .body("debug_code", equalTo("424242")).extract().path("id");
        String other = api().body(Map.of("phone", Codes.freshPhone())).post("/api/v1/verifications").then()
                .statusCode(201).extract().path("id");
        requested.await(r -> r.value().contains(other));
        assertTrue(requested.drain(Duration.ofSeconds(2)).stream().noneMatch(r -> r.value().contains(id)),
                "a test number's code must never reach otp.requested");
        api().body(Map.of("verification_id", id, "code", "000000")).post("/api/v1/verifications/check").then()
                .statusCode(422).body("attempts_left", equalTo(4));
        api().body(Map.of("phone", TEST_NUMBER, "code", "424242")).post("/api/v1/verifications/check").then()
                .statusCode(200).body("status", equalTo("approved")).body("id", equalTo(id));
        // No send limit applies (nothing is sent): a new code right away is fine, and its code is the same.
        api().body(Map.of("phone", TEST_NUMBER)).post("/api/v1/verifications").then().statusCode(201)
                .body("debug_code", equalTo("424242"));
    }

    @Test
    void twentyConcurrentCreatesLeaveExactlyOnePendingCode() throws Exception {
        String phone = Codes.freshPhone();
        List<CompletableFuture<String>> creates = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < 20; i++) {
            creates.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return api().body(Map.of("phone", phone, "purpose", "login")).post("/api/v1/verifications").then()
                        .statusCode(201).extract().<String>path("id");
            }, pool));
        }
        start.countDown();
        List<String> statuses = new ArrayList<>();
        for (CompletableFuture<String> c : creates) {
            statuses.add(api().get("/api/v1/verifications/" + c.get()).path("status"));
        }
        assertEquals(1, statuses.stream().filter("pending"::equals).count(), statuses.toString());
        assertEquals(19, statuses.stream().filter("canceled"::equals).count(), statuses.toString());
        pool.shutdown();
        String current = redis.value(String.class).get(VerificationStore.pointerKey(phone, "login"));
        api().get("/api/v1/verifications/" + current).then().body("status", equalTo("pending"))
                .body("debug_code", nullValue());
    }
}
