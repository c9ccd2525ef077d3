package io.phonekey.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.phonekey.otp.support.Codes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** Send limits and the country allow-list with production-like settings, against the real Redis. */
@QuarkusTest
@TestProfile(LimitsTest.Limits.class)
class LimitsTest {

    /** The contract's default limits, a small per-IP limit, and codes only for GB numbers. */
    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.limit.phone-gap", "30s", "otp.limit.phone-15m", "3", "otp.limit.ip-1h", "2",
                    "otp.limit.prefix-1h", "3", "otp.allowed-countries", "GB");
        }
    }

    static io.restassured.specification.RequestSpecification api() {
        return given().auth().oauth2("local-otp-key").contentType(ContentType.JSON);
    }

    @Test
    void aSecondCodeWithinThirtySecondsIsRefusedWithRetryAfter() {
        String phone = Codes.freshPhone();
        api().body(Map.of("phone", phone)).post("/api/v1/verifications").then().statusCode(201)
                .body("resend_after", equalTo(30));
        api().body(Map.of("phone", phone)).post("/api/v1/verifications").then().statusCode(429)
                .contentType("application/problem+json").body("code", equalTo("rate_limited"))
                .body("limit", equalTo("phone_gap"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        String retryAfter = api().body(Map.of("phone", phone)).post("/api/v1/verifications").header("Retry-After");
        org.hamcrest.MatcherAssert.assertThat(Integer.parseInt(retryAfter), lessThanOrEqualTo(30));
    }

    @Test
    void oneClientIpCannotPumpCodesToManyPhones() {
        String ip = "203.0.113." + (int) (Math.random() * 250);
        for (int i = 0; i < 2; i++) {
            api().body(Map.of("phone", Codes.freshPhone(), "client_ip", ip)).post("/api/v1/verifications")
                    .then().statusCode(201);
        }
        api().body(Map.of("phone", Codes.freshPhone(), "client_ip", ip)).post("/api/v1/verifications")
                .then().statusCode(429).body("limit", equalTo("ip"));
    }

    @Test
    void numbersOutsideTheAllowListAreRefused() {
        api().body(Map.of("phone", "+14155552671")).post("/api/v1/verifications").then().statusCode(403)
                .body("code", equalTo("country_not_allowed"));
        // On every channel: a bot code or a cascade that may end in an SMS is no way around the list.
        for (String channel : new String[]{"telegram", "auto", "whatsapp"}) {
            api().body(Map.of("phone", "+14155552671", "channel", channel)).post("/api/v1/verifications").then()
                    .statusCode(403).body("code", equalTo("country_not_allowed"));
        }
    }

    @Test
    void aRangeOfNumbersUnderOnePrefixIsCapped() {
        // Its own number range (+44751...), so no other test's numbers count against this prefix.
        String prefix = "+44751"
                + String.format("%03d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000));
        for (int i = 0; i < 3; i++) {
            api().body(Map.of("phone", prefix + "100" + i)).post("/api/v1/verifications").then().statusCode(201);
        }
        api().body(Map.of("phone", prefix + "1009")).post("/api/v1/verifications").then().statusCode(429)
                .body("limit", equalTo("prefix"));
    }
}
