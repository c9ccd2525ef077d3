package io.phonekey.sms.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.phonekey.contract.testing.LogCapture;
import io.phonekey.contract.testing.TopicReader;
import io.phonekey.sms.repository.SmsMessage;
import io.phonekey.sms.support.BrokerFixture;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.TwilioStandIn;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The courier end to end inside one service: real Kafka and PostgreSQL, the real Twilio SDK against a stand-in. */
@QuarkusTest
@QuarkusTestResource(TwilioStandInResource.class)
class CourierTest extends BrokerFixture {

    private static TopicReader dlq;

    @BeforeAll
    static void setUp() {
        dlq = new TopicReader("otp.requested.dlq");
    }

    @AfterAll
    static void tearDown() {
        dlq.close();
    }

    @Test
    void oneEventDeliveredThreeTimesSendsOneMessage() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "047392", 600);
        String ceId = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            events.publish(ceId, event);
        }
        JsonNode sent = delivery((String) event.get("verification_id"), "sent");
        assertEquals("twilio", sent.get("provider").asText());
        assertTrue(sent.get("provider_message_id").asText().startsWith("SM"));

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> twilio().to(phone).size() == 1);
        TwilioStandIn.Received msg = twilio().to(phone).get(0);
        assertEquals(
                "Your PhoneKey login verification code is: 047392\nThis code expires in 10 minutes. Don't share it.",
                msg.form().get("Body"));
        assertEquals("+15005550006", msg.form().get("From"));
        assertEquals("http://localhost:8084/twilio/status", msg.form().get("StatusCallback"));
        assertTrue(msg.authorization().startsWith("Basic "));
    }

    @Test
    void aRecordsTraceGoesOnInItsLogLinesAndItsDeliveryRecordAndNoLineHoldsTheCodeOrPhone() throws Exception {
        String traceparent = LogCapture.newTraceparent();
        String traceId = LogCapture.traceId(traceparent);
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "583920", 600);
        String id = (String) event.get("verification_id");
        try (LogCapture logs = LogCapture.start()) {
            twilio().answerNext(phone, 500);
            events.publish(UUID.randomUUID().toString(), event, traceparent);
            ConsumerRecord<String, String> sent = deliveries
                    .await(r -> r.value().contains(id) && r.value().contains("\"sent\""));
            String out = TopicReader.headers(sent).get("traceparent");
            assertTrue(out != null && LogCapture.traceId(out).equals(traceId),
                    "otp.delivery carries the record's trace: " + out);

            // The outcome line, after a retry (on a timer) and the provider's thread, in the request's trace.
            await().atMost(Duration.ofSeconds(5)).until(() -> !logs.matching(t -> t.contains(id)).isEmpty());
            List<LogCapture.Line> lines = logs.matching(t -> t.contains(id));
            for (LogCapture.Line line : lines) {
                assertEquals(traceId, line.traceId(), () -> "not in the trace: " + line);
            }
            assertTrue(logs.matching(t -> t.contains(id) && t.contains(": sent")).size() == 1, logs.lines()::toString);
            logs.assertNoneContains("583920", phone);
        }
    }

    @Test
    void transientFailuresAreRetriedThenSent() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "123456", 600);
        twilio().answerNext(phone, 500, 500);
        events.publish(UUID.randomUUID().toString(), event);
        JsonNode sent = delivery((String) event.get("verification_id"), "sent");
        assertEquals(3, twilio().to(phone).size());
        assertEquals(1, sent.get("attempts").asInt(), "one message record, sent once");
    }

    @Test
    void aProviderOutageLongerThanTheQuickTriesIsWaitedOutAndTheCodeSentOnce() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "503503", 600);
        // Twilio answers 503 to the three quick tries and to five more, about 2 s of outage at the test's backoff.
        twilio().answerNext(phone, 503, 503, 503, 503, 503, 503, 503, 503);
        String ceId = UUID.randomUUID().toString();
        events.publish(ceId, event);
        String id = (String) event.get("verification_id");
        // Past its quick tries and still queued: its claim was renewed before the next try.
        await().atMost(Duration.ofSeconds(10)).until(() -> twilio().to(phone).size() >= 5);
        SmsMessage waiting = row(ceId);
        assertEquals(io.phonekey.contract.event.DeliveryStatus.QUEUED, waiting.status);
        assertTrue(waiting.updatedAt.isAfter(waiting.createdAt), "the claim was renewed while waiting");
        JsonNode sent = delivery(id, "sent");
        assertEquals(1, sent.get("attempts").asInt(), "one message record, sent once");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> twilio().to(phone).size() == 9);
        assertTrue(deliveries.drain(Duration.ofMillis(500)).stream()
                .noneMatch(r -> r.value().contains(id) && r.value().contains("\"failed\"")), "never reported failed");
        assertEquals(io.phonekey.contract.event.DeliveryStatus.SENT, row(ceId).status);
    }

    @Test
    void aSendWhoseAnswerNeverCameIsLookedUpAtTheProviderNotSentAgain() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "731905", 600);
        // Twilio takes the message at once and answers after 5 s: past the answer timeout of the tests (3 s).
        twilio().slowNext(phone, Duration.ofSeconds(5));
        int reads = twilio().listReads();
        events.publish(UUID.randomUUID().toString(), event);
        JsonNode sent = delivery((String) event.get("verification_id"), "sent");
        assertEquals(1, twilio().to(phone).size(), "one create: the retry found the message in Twilio's list");
        assertTrue(twilio().listReads() > reads, "the retry asked Twilio's list");
        assertEquals(twilio().sidsTo(phone).get(0), sent.get("provider_message_id").asText(),
                "the message Twilio took is the one reported");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> twilio().to(phone).size() == 1);
    }

    @Test
    void aSendTheProviderIsSlowToCreateIsLookedUpAgainBeforeItIsSentAgain() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "731906", 600);
        // Twilio answers after 5 s, past the answer timeout of the tests (3 s), and lists the message only after the
        // first look (right after the timeout) has found nothing, whatever the machine's timing.
        twilio().slowCreateNext(phone, Duration.ofSeconds(5));
        String ceId = UUID.randomUUID().toString();
        events.publish(ceId, event);
        // Waiting for the second look, still queued: its claim was renewed first, so the lease cannot run out under it.
        await().atMost(Duration.ofSeconds(10)).until(() -> twilio().listReadsTo(phone) == 1);
        await().atMost(Duration.ofSeconds(2)).until(() -> {
            SmsMessage waiting = row(ceId);
            return waiting.updatedAt.isAfter(waiting.createdAt);
        });
        assertEquals(io.phonekey.contract.event.DeliveryStatus.QUEUED, row(ceId).status, "not settled before the look");
        JsonNode sent = delivery((String) event.get("verification_id"), "sent");
        assertEquals(1, twilio().to(phone).size(), "one create: the second look found the slow create");
        assertEquals(2, twilio().listReadsTo(phone), "looked up twice: the first found nothing, the second the create");
        assertEquals(twilio().sidsTo(phone).get(0), sent.get("provider_message_id").asText(),
                "the message Twilio took is the one reported");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> twilio().to(phone).size() == 1);
    }

    @Test
    void aProviderDownUntilTheCodeIsNoLongerWorthSendingFailsItOnceAndSaysSo() throws Exception {
        String phone = Events.freshPhone();
        // 33 s of life and 30 s kept in reserve: about 3 s to reach the provider, which never answers but 503.
        Map<String, Object> event = Events.requested(phone, "sms", "503504", 33);
        int[] down = new int[40];
        java.util.Arrays.fill(down, 503);
        twilio().answerNext(phone, down);
        events.publish(UUID.randomUUID().toString(), event);
        JsonNode failed = delivery((String) event.get("verification_id"), "failed");
        assertEquals("provider_unavailable", failed.get("reason").asText());
        int tries = twilio().to(phone).size();
        assertTrue(tries > 3 && tries < 12, "quick tries, then one every 400 ms until the code ran short: " + tries);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> twilio().to(phone).size() == tries);
    }

    @Test
    void aTooManyRequestsAnswerIsHonouredForItsRetryAfterThenSentOnce() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "420429", 600);
        twilio().throttleNext(phone, 2, 1);
        String ceId = UUID.randomUUID().toString();
        events.publish(ceId, event);
        JsonNode sent = delivery((String) event.get("verification_id"), "sent");
        assertEquals(1, sent.get("attempts").asInt(), "one message record, sent once");

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> twilio().to(phone).size() == 3);
        List<TwilioStandIn.Received> calls = twilio().to(phone);
        for (int i = 1; i < calls.size(); i++) {
            Duration gap = Duration.between(calls.get(i - 1).at(), calls.get(i).at());
            assertTrue(gap.compareTo(Duration.ofSeconds(1)) >= 0, "try " + (i + 1) + " waited for Retry-After: " + gap);
        }
        assertEquals(io.phonekey.contract.event.DeliveryStatus.SENT, row(ceId).status);
        assertEquals(1, row(ceId).sendCount);
    }

    @Test
    void aPermanentRefusalIsNotRetried() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "123456", 600);
        twilio().answerNext(phone, 400);
        events.publish(UUID.randomUUID().toString(), event);
        JsonNode failed = delivery((String) event.get("verification_id"), "failed");
        assertEquals("provider_rejected", failed.get("reason").asText());
        assertEquals("21211", failed.get("error_code").asText());
        assertEquals(1, twilio().to(phone).size());
    }

    @Test
    void expiredCodesAreDroppedNotSent() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "123456", 10);
        events.publish(UUID.randomUUID().toString(), event);
        JsonNode dropped = delivery((String) event.get("verification_id"), "dropped");
        assertEquals("expired", dropped.get("reason").asText());
        assertTrue(twilio().to(phone).isEmpty());
    }

    @Test
    void otherChannelsAreLeftToTheTelegramGateway() throws Exception {
        String phone = Events.freshPhone();
        Map<String, Object> telegram = Events.requested(phone, "telegram", "123456", 600);
        Map<String, Object> whatsapp = Events.requested(phone, "whatsapp", "654321", 600);
        events.publish(UUID.randomUUID().toString(), telegram);
        events.publish(UUID.randomUUID().toString(), whatsapp);
        delivery((String) whatsapp.get("verification_id"), "sent");
        List<TwilioStandIn.Received> sent = twilio().to("whatsapp:" + phone);
        assertEquals(1, sent.size());
        assertEquals("whatsapp:+15005550006", sent.get(0).form().get("From"));
        assertTrue(twilio().to(phone).isEmpty(), "the telegram event sent nothing here");
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheQueueKeepsFlowing() throws Exception {
        String phone = Events.freshPhone();
        events.publishRaw(phone, "{not json");
        ConsumerRecord<String, String> dead = dlq.await(r -> phone.equals(r.key()));
        assertTrue(TopicReader.headers(dead).containsKey("dead-letter-reason"));

        Map<String, Object> next = Events.requested(phone, "sms", "111222", 600);
        events.publish(UUID.randomUUID().toString(), next);
        delivery((String) next.get("verification_id"), "sent");
        assertFalse(twilio().to(phone).isEmpty());
    }

    @Test
    void nonGeographicNumbersAreDeliveredNotStuck() throws Exception {
        // libphonenumber's region for +870 (Inmarsat) is "001"; such a number once failed the insert and held the queue.
        Map<String, Object> event = Events.requested("+870773111632", "sms", "135790", 600);
        events.publish(UUID.randomUUID().toString(), event);
        delivery((String) event.get("verification_id"), "sent");
    }
}
