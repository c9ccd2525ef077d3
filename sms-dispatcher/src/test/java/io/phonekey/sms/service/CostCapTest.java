package io.phonekey.sms.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.testing.EventSchemas;
import io.phonekey.sms.repository.MessageStore;
import io.phonekey.sms.repository.SmsMessage;
import io.phonekey.sms.repository.SpendLedger;
import io.phonekey.sms.support.BrokerFixture;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.Metrics;
import io.phonekey.sms.support.Rows;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;

/**
 * Daily cost caps end to end: real Kafka and PostgreSQL, the real Twilio SDK against the stand-in. A segment costs
 * 0.0079 USD (FR: 0.015) and a phone may cost 0.02 a day, so its third message is refused; France's budget is 0.04.
 */
@QuarkusTest
@TestProfile(CostCapTest.LowCaps.class)
@QuarkusTestResource(TwilioStandInResource.class)
class CostCapTest extends BrokerFixture {

    /** Caps low enough to reach with a few messages. */
    public static class LowCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sms.price.default", "0.0079", "sms.price.per-country", "FR:0.015", "sms.cap.phone-daily",
                    "0.02", "sms.cap.country-daily", "FR:0.04");
        }
    }

    @Inject
    SpendLedger ledger;

    @Inject
    MessageStore store;

    /** Publishes a new login code for the phone; answers its verification id. */
    private static String request(String phone, String code) throws Exception {
        Map<String, Object> event = Events.requested(phone, "sms", code, 600);
        events.publish(UUID.randomUUID().toString(), event);
        return (String) event.get("verification_id");
    }

    /** The outcome event of a verification (sent, failed or refused), checked against the schema. */
    private static JsonNode outcome(String verificationId) throws Exception {
        ConsumerRecord<String, String> r = deliveries.await(rec -> rec.value().contains(verificationId)
                && rec.value().matches(".*\"status\":\"(sent|failed|refused|dropped)\".*"));
        EventSchemas.assertValid(EventType.OTP_DELIVERY, r.value());
        return JSON.readTree(r.value());
    }

    private static JsonPath messages(String phone) {
        return given().auth().oauth2("local-sms-admin-key").queryParam("phone", phone).get("/api/v1/messages").then()
                .statusCode(200).extract().jsonPath();
    }

    private static String frenchPhone() {
        return "+336" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    @Test
    void theThirdMessageToOnePhoneIsRefusedNotSent() throws Exception {
        String phone = Events.freshPhone();
        assertEquals("sent", outcome(request(phone, "111111")).get("status").asText());
        assertEquals("sent", outcome(request(phone, "222222")).get("status").asText());
        JsonNode refused = outcome(request(phone, "333333"));
        assertEquals("refused", refused.get("status").asText());
        assertEquals("cost_cap_phone", refused.get("reason").asText());
        assertEquals(phone, refused.get("phone").asText());

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> twilio().to(phone).size() == 2);
        JsonPath log = messages(phone);
        assertEquals(List.of("refused", "sent", "sent"), log.getList("items.status"));
        assertEquals("cost_cap_phone", log.getString("items[0].reason"));
        assertNull(log.get("items[0].cost_estimate"), "a refused message reserved nothing");
        assertEquals(1, log.getInt("items[0].segments"));
        assertEquals(0.0079f, log.getFloat("items[1].cost_estimate"));
    }

    @Test
    void aRejectedMessageGivesItsReservationBack() throws Exception {
        String phone = Events.freshPhone();
        twilio().answerNext(phone, 400);
        JsonNode rejected = outcome(request(phone, "111111"));
        assertEquals("failed", rejected.get("status").asText());
        assertEquals("provider_rejected", rejected.get("reason").asText());
        // The rejected message costs nothing: two more fit under the cap.
        assertEquals("sent", outcome(request(phone, "222222")).get("status").asText());
        assertEquals("sent", outcome(request(phone, "333333")).get("status").asText());
        assertEquals("cost_cap_phone", outcome(request(phone, "444444")).get("reason").asText());
        assertEquals(3, twilio().to(phone).size(), "one rejected, two sent");
    }

    @Test
    void aCountryOverItsBudgetIsRefused() throws Exception {
        clearSpend(SpendLedger.COUNTRY, "FR");
        // 0.015 each: two fit in France's 0.04, a third would make 0.045; each phone stays under its own cap.
        assertEquals("sent", outcome(request(frenchPhone(), "111111")).get("status").asText());
        assertEquals("sent", outcome(request(frenchPhone(), "222222")).get("status").asText());
        String third = frenchPhone();
        JsonNode refused = outcome(request(third, "333333"));
        assertEquals("refused", refused.get("status").asText());
        assertEquals("cost_cap_country", refused.get("reason").asText());
        assertTrue(twilio().to(third).isEmpty());
        // Another country is not affected.
        assertEquals("sent", outcome(request(Events.freshPhone(), "444444")).get("status").asText());

        JsonPath spend = given().auth().oauth2("local-sms-admin-key").get("/api/v1/spend").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0.03f, spend.getFloat("countries.find { it.country == 'FR' }.spend"));
        assertEquals(2, spend.getInt("countries.find { it.country == 'FR' }.messages"));
        assertEquals(0.04f, spend.getFloat("countries.find { it.country == 'FR' }.budget"));
        assertEquals(0.01f, spend.getFloat("countries.find { it.country == 'FR' }.remaining"));
        assertEquals(0.02f, spend.getFloat("phone_daily_cap"));
    }

    /** A Dutch mobile: a country no other test sends to, so its meters move only with this class's messages. */
    private static String dutchPhone() {
        return "+316" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    }

    private static double outcomes(String status, String reason) {
        return Metrics.sum("phonekey_sms_outcomes_total", Map.of("status", status, "reason", reason, "country", "NL",
                "provider", "twilio", "purpose", "login", "channel", "sms"));
    }

    @Test
    void sentRefusedAndFailedMessagesAreCountedWithTheirSpend() throws Exception {
        double sent = outcomes("sent", "none");
        double refused = outcomes("refused", "cost_cap_phone");
        double failed = outcomes("failed", "provider_rejected");
        double spend = Metrics.sum("phonekey_sms_spend_total", Map.of("country", "NL"));

        String phone = dutchPhone();
        assertEquals("sent", outcome(request(phone, "111111")).get("status").asText());
        assertEquals("sent", outcome(request(phone, "222222")).get("status").asText());
        assertEquals("refused", outcome(request(phone, "333333")).get("status").asText());
        String rejected = dutchPhone();
        twilio().answerNext(rejected, 400);
        assertEquals("failed", outcome(request(rejected, "444444")).get("status").asText());

        // Counted once each, right after the outcome is published.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertEquals(sent + 2, outcomes("sent", "none"));
            assertEquals(refused + 1, outcomes("refused", "cost_cap_phone"));
            assertEquals(failed + 1, outcomes("failed", "provider_rejected"));
        });
        // Two segments at 0.0079 committed; the refused and the failed message cost nothing.
        assertEquals(spend + 2 * 0.0079, Metrics.sum("phonekey_sms_spend_total", Map.of("country", "NL")), 1e-9);
    }

    @Test
    void manyEventsForOnePhoneAtOnceNeverPassTheCap() throws Exception {
        String phone = Events.freshPhone();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(request(phone, "10000" + i));
        }
        List<String> statuses = new ArrayList<>();
        for (String id : ids) {
            statuses.add(outcome(id).get("status").asText());
        }
        assertEquals(2, statuses.stream().filter("sent"::equals).count(), statuses.toString());
        assertEquals(4, statuses.stream().filter("refused"::equals).count(), statuses.toString());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> twilio().to(phone).size() == 2);
    }

    @Test
    void manyConcurrentSendsNeverPassACountryBudgetOrAPhoneCap() throws Exception {
        clearSpend(SpendLedger.COUNTRY, "FR");
        // 40 French phones at once: all in flight together, each under its own cap; France's 0.04 fits two at 0.015.
        List<String> french = new ArrayList<>();
        List<String> frenchIds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String phone = frenchPhone();
            french.add(phone);
            frenchIds.add(request(phone, String.format("%06d", 500_000 + i)));
        }
        // And 10 phones elsewhere with 5 messages each, interleaved: each phone's cap (0.02) fits two at 0.0079.
        List<String> phones = new ArrayList<>();
        Map<String, List<String>> idsByPhone = new java.util.HashMap<>();
        for (int i = 0; i < 10; i++) {
            phones.add(Events.freshPhone());
        }
        for (int round = 0; round < 5; round++) {
            for (String phone : phones) {
                idsByPhone.computeIfAbsent(phone, k -> new ArrayList<>()).add(request(phone, "77777" + round));
            }
        }
        long sentInFrance = 0;
        for (String id : frenchIds) {
            JsonNode o = outcome(id);
            if ("sent".equals(o.get("status").asText())) {
                sentInFrance++;
            } else {
                assertEquals("cost_cap_country", o.get("reason").asText());
            }
        }
        assertEquals(2, sentInFrance, "France's budget holds two");
        for (String phone : phones) {
            List<String> statuses = new ArrayList<>();
            for (String id : idsByPhone.get(phone)) {
                statuses.add(outcome(id).get("status").asText());
            }
            // A phone's messages go out in event order, so its first two are the ones under the cap.
            assertEquals(List.of("sent", "sent", "refused", "refused", "refused"), statuses);
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> french.stream()
                .mapToInt(p -> twilio().to(p).size()).sum() == 2
                && phones.stream().allMatch(p -> twilio().to(p).size() == 2));
        JsonPath spend = given().auth().oauth2("local-sms-admin-key").get("/api/v1/spend").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(0.03f, spend.getFloat("countries.find { it.country == 'FR' }.spend"));
    }

    @Test
    void concurrentReservationsFromSeparateTransactionsNeverPassTheCap() throws Exception {
        // As many replicas at once: 20 reservations (sms_reserve), each on its own connection, book 0.0079 against a
        // phone cap of 0.02; the country has room.
        String key = Events.freshPhone();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        BigDecimal price = new BigDecimal("0.0079");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> onVertx(() -> store.reserve(UUID.randomUUID(), today, key, "ZZ", price,
                        1, Optional.of(new BigDecimal("0.02")), Optional.empty()))));
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> r : results) {
                answers.add(r.get());
            }
            assertEquals(2, answers.stream().filter(a -> a == null).count(), answers.toString());
            assertTrue(answers.stream().allMatch(a -> a == null || "cost_cap_phone".equals(a)), answers.toString());
        } finally {
            pool.shutdownNow();
        }
        SpendLedger.Spend booked = onVertx(() -> Panache.withSession(() -> ledger.day(today, SpendLedger.PHONE)))
                .stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
        assertEquals(0, new BigDecimal("0.0158").compareTo(booked.amount()));
        assertEquals(2, booked.messages());
    }

    @Test
    void concurrentClaimsWithTheirBookingClaimEachEventOnceAndNeverPassTheCap() throws Exception {
        // 20 first deliveries at once, each on its own connection (consumers of a rebalance, replicas): 10 of one
        // event (one ce_id) and 10 of distinct events, all to one phone, 0.0079 each against its cap of 0.02.
        String phone = Events.freshPhone();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        BigDecimal price = new BigDecimal("0.0079");
        Optional<BigDecimal> cap = Optional.of(new BigDecimal("0.02"));
        String shared = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<String> same = new ArrayList<>();
        List<String> all = new ArrayList<>();
        try {
            List<Future<String>> sameEvent = new ArrayList<>();
            List<Future<String>> distinct = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                sameEvent.add(pool.submit(() -> onVertx(() -> store.claimNewBooking(firstDelivery(shared, phone),
                        today, "ZZ", price, 1, cap, Optional.empty()))));
                distinct.add(pool.submit(() -> onVertx(() -> store.claimNewBooking(
                        firstDelivery(UUID.randomUUID().toString(), phone), today, "ZZ", price, 1, cap,
                        Optional.empty()))));
            }
            for (Future<String> r : sameEvent) {
                same.add(r.get());
            }
            all.addAll(same);
            for (Future<String> r : distinct) {
                all.add(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(9, same.stream().filter(MessageStore.EXISTS::equals).count(), same.toString());
        assertEquals(2, all.stream().filter(MessageStore.BOOKED::equals).count(), all.toString());
        assertTrue(all.stream().allMatch(a -> List.of(MessageStore.BOOKED, MessageStore.EXISTS, "cost_cap_phone")
                .contains(a)), all.toString());
        assertEquals(1L, (long) onVertx(() -> Panache.withSession(() -> SmsMessage.count("ceId", shared))));
        assertEquals(11L, (long) onVertx(() -> Panache.withSession(() -> SmsMessage.count("phone", phone))));
        assertEquals(2L, (long) onVertx(() -> Panache.withSession(
                () -> SmsMessage.count("phone = ?1 and costEstimate is not null", phone))));
        SpendLedger.Spend booked = onVertx(() -> Panache.withSession(() -> ledger.day(today, SpendLedger.PHONE)))
                .stream().filter(s -> s.key().equals(phone)).findFirst().orElseThrow();
        assertEquals(0, new BigDecimal("0.0158").compareTo(booked.amount()));
        assertEquals(2, booked.messages());
    }

    /** A message row as the courier claims it for a first delivery. */
    private static SmsMessage firstDelivery(String ceId, String phone) {
        Instant now = Instant.now();
        return Rows.queued(ceId, UUID.randomUUID().toString(), phone, now.plusSeconds(600), 1, now);
    }

    /** Runs of this test on the same day and database start France's budget afresh. */
    private static void clearSpend(String scope, String key) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        onVertx(() -> Panache.withTransaction(() -> Panache.getSession()
                .flatMap(s -> s.createNativeQuery("DELETE FROM sms_spend WHERE day = :day AND scope = :scope AND "
                        + "key = :key").setParameter("day", today).setParameter("scope", scope)
                        .setParameter("key", key).executeUpdate())));
    }

    /** Runs a store operation on a Vert.x context of its own (its own session and connection) and waits for it. */
    private static <T> T onVertx(Supplier<Uni<T>> operation) {
        try {
            return VertxContextSupport.subscribeAndAwait(operation);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
