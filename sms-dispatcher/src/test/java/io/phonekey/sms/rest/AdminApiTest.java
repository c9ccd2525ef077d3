package io.phonekey.sms.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.phonekey.sms.support.BrokerFixture;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** The admin API: keys, the message log's filters and masking, one message, the day's spend. */
@QuarkusTest
@QuarkusTestResource(TwilioStandInResource.class)
class AdminApiTest extends BrokerFixture {

    private static final String KEY = "local-sms-admin-key";

    static RequestSpecification admin() {
        return given().auth().oauth2(KEY);
    }

    /** Publishes a login code for the phone and waits until it is reported with the given status. */
    static void deliver(String phone, String code, String status) throws Exception {
        Map<String, Object> event = Events.requested(phone, "sms", code, 600);
        events.publish(UUID.randomUUID().toString(), event);
        String id = (String) event.get("verification_id");
        deliveries.await(r -> r.value().contains(id) && r.value().contains("\"status\":\"" + status + "\""));
    }

    static ValidatableResponse problem(ValidatableResponse r, int status, String code) {
        return r.statusCode(status).contentType("application/problem+json").body("status", equalTo(status))
                .body("code", equalTo(code));
    }

    @Test
    void everyCallNeedsAValidKey() {
        for (String path : List.of("/api/v1/messages", "/api/v1/messages/" + UUID.randomUUID(), "/api/v1/spend")) {
            problem(given().get(path).then(), 401, "unauthorized");
            problem(given().auth().oauth2("not-the-key").get(path).then(), 401, "unauthorized");
            problem(given().header("Authorization", "Basic " + KEY).get(path).then(), 401, "unauthorized");
            problem(given().auth().oauth2(KEY + "x").get(path).then(), 401, "unauthorized");
        }
        admin().get("/api/v1/spend").then().statusCode(200);
    }

    @Test
    void theLogFiltersByPhoneStatusAndTimeAndShowsNoPhoneOrCode() throws Exception {
        String phone = Events.freshPhone();
        String other = Events.freshPhone();
        Instant before = Instant.now().minusSeconds(1);
        deliver(phone, "481516", "sent");
        twilio().answerNext(phone, 400);
        deliver(phone, "234223", "failed");
        deliver(other, "999111", "sent");

        String json = admin().queryParam("phone", phone).get("/api/v1/messages").then().statusCode(200).extract()
                .asString();
        JsonPath log = JsonPath.from(json);
        assertEquals(2, log.getList("items").size());
        assertEquals(List.of("failed", "sent"), log.getList("items.status"), "newest first");
        String masked = phone.substring(0, 3) + "*".repeat(phone.length() - 7) + phone.substring(phone.length() - 4);
        assertEquals(List.of(masked, masked), log.getList("items.phone"));
        assertFalse(json.contains(phone), "never the full phone");
        assertFalse(json.contains("481516") || json.contains("234223"), "never a code: " + json);
        assertTrue(log.getString("items[1].body").contains("code is: ******"), log.getString("items[1].body"));
        Map<String, Object> sent = log.getMap("items[1]");
        for (String field : List.of("id", "verification_id", "phone", "country", "channel", "purpose", "provider",
                "provider_message_id", "status", "error_code", "reason", "segments", "price", "price_unit",
                "cost_estimate", "send_count", "body", "created_at", "updated_at", "expires_at")) {
            assertTrue(sent.containsKey(field), field + " in " + sent.keySet());
        }
        assertEquals("GB", sent.get("country"));
        assertEquals(1, sent.get("segments"));
        assertEquals(0.0079f, sent.get("cost_estimate"));
        assertEquals("provider_rejected", log.getString("items[0].reason"));
        assertEquals("21211", log.getString("items[0].error_code"));

        // The same number in another common E.164 spelling; the + sent unencoded arrives as a space.
        admin().queryParam("phone", phone.substring(0, 3) + " " + phone.substring(3)).get("/api/v1/messages").then()
                .statusCode(200).body("items.size()", equalTo(2));
        admin().get("/api/v1/messages?phone=" + phone.substring(1)).then().statusCode(200)
                .body("items.size()", equalTo(2));
        admin().queryParam("phone", phone).queryParam("status", "sent").get("/api/v1/messages").then()
                .statusCode(200).body("items.size()", equalTo(1)).body("items[0].status", equalTo("sent"));
        admin().queryParam("phone", phone).queryParam("status", "refused").get("/api/v1/messages").then()
                .statusCode(200).body("items.size()", equalTo(0));
        admin().queryParam("phone", phone).queryParam("since", before.toString()).get("/api/v1/messages").then()
                .statusCode(200).body("items.size()", equalTo(2));
        admin().queryParam("phone", phone).queryParam("since", Instant.now().plusSeconds(60).toString())
                .get("/api/v1/messages").then().statusCode(200).body("items.size()", equalTo(0));
        admin().queryParam("phone", phone).queryParam("since", LocalDate.now(ZoneOffset.UTC).toString())
                .get("/api/v1/messages").then().statusCode(200).body("items.size()", equalTo(2));
        admin().queryParam("phone", phone).queryParam("limit", "1").get("/api/v1/messages").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].status", equalTo("failed"));
        admin().queryParam("status", "sent").queryParam("limit", "200").get("/api/v1/messages").then()
                .statusCode(200).body("items.status.unique()", equalTo(List.of("sent")));

        String id = log.getString("items[1].id");
        JsonPath one = admin().get("/api/v1/messages/" + id).then().statusCode(200).extract().jsonPath();
        assertEquals(log.getMap("items[1]"), one.getMap("$"));
    }

    @Test
    void badFiltersAreProblemsNamingTheField() {
        Map<String, Map<String, String>> bad = Map.of(
                "phone", Map.of("phone", "12345"),
                "status", Map.of("status", "lost"),
                "since", Map.of("since", "yesterday"),
                "limit", Map.of("limit", "201"));
        bad.forEach((field, params) -> problem(admin().queryParams(params).get("/api/v1/messages").then(), 400,
                "phone".equals(field) ? "invalid_phone" : "invalid_field").body("field", equalTo(field)));
        for (String limit : List.of("0", "-1", "ten")) {
            problem(admin().queryParam("limit", limit).get("/api/v1/messages").then(), 400, "invalid_field")
                    .body("field", equalTo("limit"));
        }
        problem(admin().get("/api/v1/messages/" + UUID.randomUUID()).then(), 404, "not_found");
        problem(admin().get("/api/v1/messages/not-a-uuid").then(), 400, "invalid_field").body("field", equalTo("id"));
        problem(admin().queryParam("day", "2026-13-01").get("/api/v1/spend").then(), 400, "invalid_field")
                .body("field", equalTo("day"));
    }

    @Test
    void theDaysSpendSumsWhatWasReservedByCountry() throws Exception {
        JsonPath before = spend();
        for (int i = 0; i < 3; i++) {
            deliver("+49151" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000)), "12345" + i,
                    "sent");
        }
        JsonPath after = spend();
        assertEquals(LocalDate.now(ZoneOffset.UTC).toString(), after.getString("day"));
        assertEquals("USD", after.getString("currency"));
        assertEquals(0, BigDecimal.ONE.compareTo(decimal(after.get("phone_daily_cap"))), "the test profile's cap");
        assertEquals(3, germany(after, "messages").intValue() - germany(before, "messages").intValue());
        BigDecimal spent = decimal(germany(after, "spend")).subtract(decimal(germany(before, "spend")));
        assertEquals(0, new BigDecimal("0.0237").compareTo(spent), "3 × 0.0079, not " + spent);
        assertEquals(0, new BigDecimal(100).compareTo(decimal(germany(after, "budget"))), "the default budget");
        BigDecimal remaining = new BigDecimal(100).subtract(decimal(germany(after, "spend")));
        assertEquals(0, remaining.compareTo(decimal(germany(after, "remaining"))));
        BigDecimal sum = after.<Object>getList("countries.spend").stream().map(AdminApiTest::decimal)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, sum.compareTo(decimal(after.get("total"))), "total is the sum of countries");

        admin().queryParam("day", "2001-01-01").get("/api/v1/spend").then().statusCode(200)
                .body("day", equalTo("2001-01-01")).body("total", equalTo(0)).body("countries.size()", equalTo(0));
    }

    @Test
    void aReportedPriceReplacesTheEstimate() throws Exception {
        BigDecimal before = countrySpend("ES");
        String phone = "+34612" + String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
        // Twilio reports a charge as a negative price; the stand-in answers this once.
        twilio().priceNext(phone, "-0.04000", "USD", 2);
        deliver(phone, "777888", "sent");
        JsonPath log = admin().queryParam("phone", phone).get("/api/v1/messages").then().statusCode(200).extract()
                .jsonPath().using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
        assertEquals(0, new BigDecimal("0.04").compareTo(log.get("items[0].price")));
        assertEquals("USD", log.getString("items[0].price_unit"));
        assertEquals(2, log.getInt("items[0].segments"), "the provider's count");
        // The Spanish text has "ó", outside GSM-7: UCS-2 and over 70 units, so two segments were reserved.
        assertEquals(0, new BigDecimal("0.0158").compareTo(log.get("items[0].cost_estimate")));
        assertEquals(0, new BigDecimal("0.04").compareTo(countrySpend("ES").subtract(before)), "the price counts");
    }

    /** A country's spend today; zero before it has any. */
    static BigDecimal countrySpend(String country) {
        Object v = spend().get("countries.find { it.country == '" + country + "' }.spend");
        return v == null ? BigDecimal.ZERO : decimal(v);
    }

    /** Today's spend, its numbers read exactly. */
    static JsonPath spend() {
        return admin().get("/api/v1/spend").then().statusCode(200).extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    static BigDecimal decimal(Object number) {
        return new BigDecimal(number.toString());
    }

    /** A field of Germany's entry, zero before it has one. */
    private static Number germany(JsonPath spend, String field) {
        Object v = spend.get("countries.find { it.country == 'DE' }." + field);
        return v == null ? 0 : (Number) v;
    }
}
