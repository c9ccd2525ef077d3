package io.phonekey.sms.service;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.phonekey.contract.testing.TopicReader;
import io.phonekey.sms.repository.SmsMessage;
import io.phonekey.sms.support.BrokerFixture;
import io.phonekey.sms.support.Events;
import io.phonekey.sms.support.Metrics;
import io.phonekey.sms.support.Rows;
import io.phonekey.sms.support.TwilioStandIn;
import io.phonekey.sms.support.TwilioStandInResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * A crash between the provider's answer and the acknowledgement. The courier commits its message row as
 * {@code queued} (one send counted) before it calls the provider, and acknowledges the offset only after it stored the
 * outcome; a process killed in between leaves exactly that row behind and the record unacknowledged, so Kafka
 * delivers it again. These tests recreate that state in the real database and redeliver the record through the real
 * broker: the message goes out once more (never more), with the event's code, unless the provider's message log shows
 * the interrupted send reached it; a second interruption abandons it.
 */
@QuarkusTest
@QuarkusTestResource(TwilioStandInResource.class)
class CrashRecoveryTest extends BrokerFixture {

    /** The row a courier commits before calling the provider, as a crash after that call leaves it. */
    private static void leftByACrash(String ceId, Map<String, Object> event, int sends) throws Throwable {
        // A crash is older than the claim lease by the time the record comes back.
        claimed(ceId, event, sends, Instant.now().minus(Duration.ofMinutes(5)));
    }

    private static void claimed(String ceId, Map<String, Object> event, int sends, Instant now) throws Throwable {
        SmsMessage row = Rows.queued(ceId, (String) event.get("verification_id"), (String) event.get("phone"),
                Instant.parse((String) event.get("expires_at")), sends, now);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(row::persist));
    }

    @Test
    void aRecordRedeliveredAfterACrashIsSentOnceMoreWithTheSameCode() throws Throwable {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "580214", 600);
        String ceId = UUID.randomUUID().toString();
        leftByACrash(ceId, event, 1);

        // Kafka redelivers the unacknowledged record; a rebalance may deliver it twice more.
        events.publish(ceId, event);
        events.publish(ceId, event);
        JsonNode sent = delivery((String) event.get("verification_id"), "sent");
        assertEquals(2, sent.get("attempts").asInt(), "the interrupted send and this one");

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6)).until(() -> twilio().to(phone).size() == 1);
        List<TwilioStandIn.Received> out = twilio().to(phone);
        assertTrue(out.get(0).form().get("Body").contains("580214"), "the code of the event, not a new one");
        SmsMessage row = row(ceId);
        assertEquals(io.phonekey.contract.event.DeliveryStatus.SENT, row.status);
        assertEquals(2, row.sendCount);
        assertTrue(row.bodyRedacted != null && !row.bodyRedacted.contains("580214"), "stored text has no code");
    }

    @Test
    void aMessageTheProviderTookBeforeTheCrashIsNotSentAgain() throws Throwable {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "580217", 600);
        String ceId = UUID.randomUUID().toString();
        Instant claimedAt = Instant.now().minus(Duration.ofMinutes(5));
        claimed(ceId, event, 1, claimedAt);
        // The killed process's request had reached Twilio: the message exists there, its outcome was never stored.
        String sid = twilio().alreadyHolds(phone, "+15005550006", "PhoneKey: your code is 580217",
                claimedAt.plusMillis(300));
        int reads = twilio().listReads();

        events.publish(ceId, event);
        JsonNode sent = delivery((String) event.get("verification_id"), "sent");
        assertEquals(sid, sent.get("provider_message_id").asText(), "the message the provider already had");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> twilio().to(phone).isEmpty());
        assertTrue(twilio().listReads() > reads, "the provider's message log was asked");
        SmsMessage row = row(ceId);
        assertEquals(io.phonekey.contract.event.DeliveryStatus.SENT, row.status);
        assertEquals(sid, row.providerMessageId);
    }

    @Test
    void theSameCodeSentBeforeTheClaimIsNotTakenForTheInterruptedMessage() throws Throwable {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "580218", 600);
        String ceId = UUID.randomUUID().toString();
        Instant claimedAt = Instant.now().minus(Duration.ofMinutes(5));
        claimed(ceId, event, 1, claimedAt);
        // An earlier message with the same code (a resend of the verification), and another code since the claim.
        twilio().alreadyHolds(phone, "+15005550006", "PhoneKey: your code is 580218", claimedAt.minusSeconds(30));
        twilio().alreadyHolds(phone, "+15005550006", "PhoneKey: your code is 999999", claimedAt.plusSeconds(1));

        events.publish(ceId, event);
        delivery((String) event.get("verification_id"), "sent");
        await().atMost(Duration.ofSeconds(6)).until(() -> twilio().to(phone).size() == 1);
        assertTrue(twilio().to(phone).get(0).form().get("Body").contains("580218"), "sent again, with its own code");
        assertEquals(2, row(ceId).sendCount);
    }

    @Test
    void aRecordGivenToASecondConsumerWhileTheFirstIsSendingIsNotSentTwice() throws Throwable {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "580216", 600);
        String ceId = UUID.randomUUID().toString();
        claimed(ceId, event, 1, Instant.now()); // another consumer claimed it a moment ago and is sending

        events.publish(ceId, event);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> twilio().to(phone).isEmpty());
        // The first consumer finishes; the waiting one then finds the outcome and sends nothing.
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> SmsMessage
                .update("status = 'sent', updatedAt = ?1 where ceId = ?2", Instant.now(), ceId)));
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> twilio().to(phone).isEmpty());
        assertEquals(io.phonekey.contract.event.DeliveryStatus.SENT, row(ceId).status);
        assertEquals(1, row(ceId).sendCount);
    }

    /**
     * While another consumer holds the claim the record is tried again with backoff (1 s, 2 s, 4 s, ...). Each of
     * those tries reads the row; none takes a turn of the sender's rate, which only a send needs: held back after a
     * rebalance, a partition's records would otherwise spend the rate the rest of the backlog waits for.
     */
    @Test
    void aRecordHeldBackByAnotherConsumersClaimSpendsNoneOfTheSendersRate() throws Throwable {
        // Only this record in flight, so the count of turns is its own.
        await().pollInterval(Duration.ofMillis(200)).during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(60))
                .until(() -> Metrics.sum("phonekey_sms_in_flight", Map.of()) == 0);
        double before = Metrics.sum("phonekey_sms_sender_turns_total", Map.of());
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "580217", 600);
        String ceId = UUID.randomUUID().toString();
        claimed(ceId, event, 1, Instant.now());

        events.publish(ceId, event);
        // Held for 8 s: at least three tries after the first.
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10)).until(() -> twilio().to(phone).isEmpty());
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> SmsMessage
                .update("status = 'sent', providerMessageId = 'SMheldback', updatedAt = ?1 where ceId = ?2",
                        Instant.now(), ceId)));
        delivery((String) event.get("verification_id"), "sent");
        assertTrue(twilio().to(phone).isEmpty());
        // The first try takes its turn before it finds the claim (a first delivery sends at once); the retries none.
        assertEquals(1, Metrics.sum("phonekey_sms_sender_turns_total", Map.of()) - before, 0.0,
                Metrics.series("phonekey_sms_sender_turns_total"));
    }

    @Test
    void anOutcomeStoredWhileItsEventCouldNotGoOutIsAnnouncedWhenTheRecordComesBack() throws Throwable {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "580219", 600);
        String ceId = UUID.randomUUID().toString();
        // The provider refused the number and the refusal was stored, but the broker was down when the courier
        // published it (or the process died in between): the record was never acknowledged and comes back.
        claimed(ceId, event, 1, Instant.now().minusSeconds(20));
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> SmsMessage.update(
                "status = 'failed', reason = 'provider_rejected', errorCode = '21211', updatedAt = ?1 where ceId = ?2",
                Instant.now(), ceId)));

        events.publish(ceId, event);
        events.publish(ceId, event);
        String id = (String) event.get("verification_id");
        JsonNode failed = delivery(id, "failed");
        assertEquals("provider_rejected", failed.get("reason").asText());
        assertEquals("21211", failed.get("error_code").asText());
        // Announced with the outcome's own id each time, so a consumer that had it drops the copy; nothing sent.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> twilio().to(phone).isEmpty());
        java.util.Set<String> ids = new java.util.HashSet<>();
        deliveries.drain(Duration.ofSeconds(1)).stream().filter(r -> r.value().contains(id))
                .forEach(r -> ids.add(TopicReader.headers(r).get("ce_id")));
        assertEquals(1, ids.size(), "one event id for one outcome: " + ids);
    }

    @Test
    void aSecondCrashAbandonsTheMessageAndSaysSo() throws Throwable {
        String phone = Events.freshPhone();
        Map<String, Object> event = Events.requested(phone, "sms", "580215", 600);
        String ceId = UUID.randomUUID().toString();
        leftByACrash(ceId, event, 2);

        events.publish(ceId, event);
        JsonNode failed = delivery((String) event.get("verification_id"), "failed");
        assertEquals("abandoned", failed.get("reason").asText());
        assertEquals(2, failed.get("attempts").asInt());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> twilio().to(phone).isEmpty());
        assertEquals(io.phonekey.contract.event.DeliveryStatus.FAILED, row(ceId).status);
    }

}
