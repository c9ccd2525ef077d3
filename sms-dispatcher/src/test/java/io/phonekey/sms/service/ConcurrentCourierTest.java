package io.phonekey.sms.service;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.sms.support.BrokerFixture;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.Metrics;
import io.phonekey.sms.support.TwilioStandIn;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Many messages at once through the courier: real Kafka and PostgreSQL, the real Twilio SDK against a stand-in that
 * takes 200 ms per answer, as Twilio's API does. One at a time that is 5 messages a second; the courier must keep many
 * calls in flight (bounded by SMS_MAX_IN_FLIGHT), send every event exactly once, and keep one phone's messages in
 * event order.
 */
@QuarkusTest
@QuarkusTestResource(TwilioStandInResource.class)
class ConcurrentCourierTest extends BrokerFixture {

    private static final int EVENTS = 300;

    @Test
    void threeHundredEventsAreSentConcurrentlyEachExactlyOnce() throws Exception {
        TwilioStandIn twilio = twilio();
        Duration latency = twilio.latency();
        int maxInFlight = ConfigProvider.getConfig().getValue("sms.max-in-flight", Integer.class);
        Map<String, String> phoneByCeId = new LinkedHashMap<>();
        Map<String, Map<String, Object>> eventByCeId = new LinkedHashMap<>();
        for (int i = 0; i < EVENTS; i++) {
            String phone = Events.freshPhone();
            String ceId = UUID.randomUUID().toString();
            phoneByCeId.put(ceId, phone);
            eventByCeId.put(ceId, Events.requested(phone, "sms", String.format("%06d", 100_000 + i), 600));
        }
        twilio.resetConcurrency();
        double handoffsBefore = Metrics.sum("phonekey_sms_handoff_seconds_count", Map.of("channel", "sms"));
        double minuteBefore = Metrics.sum("phonekey_sms_handoff_seconds_bucket",
                Map.of("channel", "sms", "le", "60.0"));
        double tenthBefore = Metrics.sum("phonekey_sms_handoff_seconds_bucket", Map.of("channel", "sms", "le", "0.1"));
        long start = System.nanoTime();
        // Published from 16 threads, so that the producer is not what the test measures; then each event once more,
        // as a redelivery after a rebalance would bring it: it must send nothing new.
        ExecutorService producers = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (var e : eventByCeId.entrySet()) {
                    sent.add(producers.submit(() -> events.publish(e.getKey(), e.getValue())));
                }
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            producers.shutdownNow();
        }
        double published = (System.nanoTime() - start) / 1e9;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> phoneByCeId.values().stream().allMatch(p -> !twilio.to(p).isEmpty()));
        double seconds = (System.nanoTime() - start) / 1e9;
        double sequential = EVENTS * latency.toMillis() / 1000.0;
        int concurrent = twilio.maxConcurrent();
        System.out.printf("ConcurrentCourierTest: %d events (published twice in %.2f s) all sent after %.2f s (%.0f/s;"
                + " one at a time: %.0f s), at most %d provider calls at once%n", EVENTS, published, seconds,
                EVENTS / seconds, sequential, concurrent);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> phoneByCeId.entrySet()
                .stream().allMatch(e -> row(e.getKey()) != null && row(e.getKey()).status == DeliveryStatus.SENT));
        Map<String, List<TwilioStandIn.Received>> byPhone = twilio.byRecipient();
        for (var e : phoneByCeId.entrySet()) {
            List<TwilioStandIn.Received> calls = byPhone.getOrDefault(e.getValue(), List.of());
            assertEquals(1, calls.size(), "one provider call for ce_id " + e.getKey());
            String code = (String) eventByCeId.get(e.getKey()).get("verification_id");
            assertEquals(1, row(e.getKey()).sendCount, "row " + code + " counted one send");
        }
        assertTrue(seconds * 5 < sequential, String.format(
                "%d events took %.1f s; one at a time they take %.0f s, so concurrency must be over 5x", EVENTS,
                seconds, sequential));
        assertTrue(concurrent > 6, "more provider calls at once than the six consumers: " + concurrent);
        assertTrue(concurrent <= maxInFlight, "never more than SMS_MAX_IN_FLIGHT at once: " + concurrent);
        // The wait before the provider call is measured.
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("phonekey_sms_queued_seconds_count{channel=\"sms\"}"), "the queued timer");
        assertTrue(metrics.contains("phonekey_sms_in_flight"), "the in-flight gauge");
        // And the time from the broker storing each record to its provider call, in buckets to read p99 from: one
        // observation per message, each within the run (a clock mix-up would give years, or 0 for all), and some
        // over 100 ms (the sender's 100 a second holds most of them back).
        Map<String, String> sms = Map.of("channel", "sms");
        double handoffs = Metrics.sum("phonekey_sms_handoff_seconds_count", sms) - handoffsBefore;
        double withinAMinute = Metrics.sum("phonekey_sms_handoff_seconds_bucket", Map.of("channel", "sms", "le",
                "60.0")) - minuteBefore;
        double within100ms = Metrics.sum("phonekey_sms_handoff_seconds_bucket", Map.of("channel", "sms", "le",
                "0.1")) - tenthBefore;
        assertTrue(handoffs >= EVENTS, "a handoff time per message: " + handoffs);
        assertTrue(withinAMinute >= EVENTS, "each within the minute the run may take: " + withinAMinute
                + Metrics.series("phonekey_sms_handoff_seconds_bucket"));
        assertTrue(within100ms < handoffs - 100, "the ceiling's wait shows: " + within100ms + " of " + handoffs
                + " within 100 ms");
        assertTrue(metrics.contains("phonekey_sms_handoff_seconds_bucket{channel=\"sms\",le="), "its histogram");
    }

    @Test
    void oneAndTheSamePhoneGetsItsMessagesInEventOrder() throws Exception {
        String phone = Events.freshPhone();
        List<String> codes = new ArrayList<>();
        // Alongside other phones' messages, so that the courier has plenty in flight while it keeps this one's order.
        for (int i = 0; i < 20; i++) {
            String code = String.format("%06d", 300_000 + i);
            codes.add(code);
            events.publish(UUID.randomUUID().toString(), Events.requested(phone, "sms", code, 600));
            events.publish(UUID.randomUUID().toString(), Events.requested(Events.freshPhone(), "sms", "999999", 600));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> twilio().to(phone).size() == codes.size());
        List<TwilioStandIn.Received> calls = twilio().to(phone);
        for (int i = 0; i < codes.size(); i++) {
            assertTrue(calls.get(i).form().get("Body").contains(codes.get(i)),
                    "message " + i + " in event order: " + calls.get(i).form().get("Body"));
        }
        for (int i = 1; i < calls.size(); i++) {
            Duration gap = Duration.between(calls.get(i - 1).at(), calls.get(i).at());
            assertTrue(gap.compareTo(twilio().latency()) >= 0,
                    "a phone's next message waits for the answer to its previous one: " + gap);
        }
    }
}
