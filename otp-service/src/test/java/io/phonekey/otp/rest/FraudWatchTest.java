package io.phonekey.otp.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** The conversion watch against the real Redis: a prefix whose codes are not used gets blocked, and lifted. */
@QuarkusTest
@TestProfile(FraudWatchTest.Watching.class)
class FraudWatchTest {

    /** Judge a prefix after 5 sends; below 50 % approved, block it. Codes are exposed so the test can approve. */
    public static class Watching implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("otp.fraud.mode", "block", "otp.fraud.min-sends", "5", "otp.fraud.min-conversion", "0.5",
                    "otp.expose-code", "true");
        }
    }

    static RequestSpecification api() {
        return given().auth().oauth2("local-otp-key").contentType(ContentType.JSON);
    }

    /** An operator: a key of OTP_ADMIN_API_KEYS (the test profile's is the local default). */
    static RequestSpecification admin() {
        return given().auth().oauth2("local-admin-key").contentType(ContentType.JSON);
    }

    /** A UK mobile prefix (+44755xxx) no other test uses; numbers under it differ in their last 4 digits. */
    static String freshPrefix() {
        return "+44755" + String.format("%03d", ThreadLocalRandom.current().nextInt(1_000));
    }

    static JsonPath create(String phone) {
        return api().body(Map.of("phone", phone)).post("/api/v1/verifications").then().statusCode(201).extract()
                .jsonPath();
    }

    static void approve(JsonPath created) {
        api().body(Map.of("verification_id", created.getString("id"), "code", created.getString("debug_code")))
                .post("/api/v1/verifications/check").then().statusCode(200);
    }

    @Test
    void aPrefixWhoseCodesAreNotUsedIsBlockedListedAndCanBeLifted() {
        String prefix = freshPrefix();
        approve(create(prefix + "0001"));
        for (int i = 2; i <= 5; i++) {
            create(prefix + "000" + i);
        }
        // 5 sent, 1 approved: 20 % is below the 50 % minimum, so the next code to this range is refused.
        api().body(Map.of("phone", prefix + "0009")).post("/api/v1/verifications").then().statusCode(429)
                .contentType("application/problem+json").body("code", equalTo("rate_limited"))
                .body("limit", equalTo("fraud_prefix")).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // Another number of the same range stays refused: the block is on the prefix, not the number.
        api().body(Map.of("phone", prefix + "4321")).post("/api/v1/verifications").then().statusCode(429)
                .body("limit", equalTo("fraud_prefix"));

        JsonPath view = admin().get("/api/v1/admin/fraud").then().statusCode(200).extract().jsonPath();
        Map<String, Object> blocked = view.getMap("blocked.find { it.prefix == '" + prefix + "' }");
        org.junit.jupiter.api.Assertions.assertNotNull(blocked, "blocked prefix listed: " + view.prettify());
        org.junit.jupiter.api.Assertions.assertEquals("GB", blocked.get("country"));
        org.hamcrest.MatcherAssert.assertThat((String) blocked.get("reason"),
                containsString("5 codes sent, 1 approved (20.0 %)"));
        org.hamcrest.MatcherAssert.assertThat(view.getList("countries.country"), hasItem("GB"));

        admin().delete("/api/v1/admin/fraud/blocks/{prefix}", prefix).then()
                .statusCode(204);
        create(prefix + "0009");
        org.hamcrest.MatcherAssert.assertThat(
                admin().get("/api/v1/admin/fraud").then().extract().jsonPath().getList("blocked.prefix"),
                not(hasItem(prefix)));
        // Lifted already; the prefix may also be given without its +.
        admin().delete("/api/v1/admin/fraud/blocks/" + prefix.substring(1)).then()
                .statusCode(404);
    }

    @Test
    void aPrefixWhoseCodesAreUsedKeepsGettingCodes() {
        String prefix = freshPrefix();
        for (int i = 1; i <= 8; i++) {
            JsonPath created = create(prefix + "000" + i);
            if (i % 2 == 1) {
                approve(created);
            }
        }
        create(prefix + "0009");
        List<String> blocked = admin().get("/api/v1/admin/fraud").then().extract().jsonPath().getList("blocked.prefix");
        org.hamcrest.MatcherAssert.assertThat(blocked, not(hasItem(prefix)));
    }

    @Test
    void blocksAreCountedOnTheMetricsEndpoint() {
        String prefix = freshPrefix();
        for (int i = 1; i <= 5; i++) {
            create(prefix + "000" + i);
        }
        api().body(Map.of("phone", prefix + "0009")).post("/api/v1/verifications").then().statusCode(429);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("phonekey_otp_fraud_blocks_total{country=\"GB\"}"))
                .body(containsString("phonekey_otp_refused_total{limit=\"fraud_prefix\"}"));
    }

    @Test
    void theAdminViewNeedsAnAdminKeyAndAPrefixMustLookLikeOne() {
        given().get("/api/v1/admin/fraud").then().statusCode(401).body("code", equalTo("unauthorized"));
        given().auth().oauth2("not-a-key").get("/api/v1/admin/fraud").then().statusCode(401)
                .body("code", equalTo("unauthorized"));
        // A backend key is known, but not an operator's: 403, and it cannot lift a block either.
        api().get("/api/v1/admin/fraud").then().statusCode(403).body("code", equalTo("forbidden"));
        api().delete("/api/v1/admin/fraud/blocks/+4475500").then().statusCode(403).body("code", equalTo("forbidden"));
        // And an operator's key is not a backend's: it cannot send codes.
        admin().body(Map.of("phone", freshPrefix() + "0001")).post("/api/v1/verifications").then().statusCode(403)
                .body("code", equalTo("forbidden"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("phonekey_api_authenticated_total{caller=\"local-admin\",role=\"admin\"}"))
                .body(containsString("phonekey_api_rejected_total"));
        admin().delete("/api/v1/admin/fraud/blocks/abc").then().statusCode(400)
                .body("field", equalTo("prefix"));
    }
}
