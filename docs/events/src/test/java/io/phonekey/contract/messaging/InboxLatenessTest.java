package io.phonekey.contract.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.junit.jupiter.api.Test;

import io.smallrye.reactive.messaging.ce.impl.DefaultIncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/** Which records the consumers skip as ones their producer had given up on (a 503 to the sender). */
class InboxLatenessTest {

    static Message<String> record(Duration storedAfterSending, TimestampType type) {
        Instant sent = Instant.parse("2026-12-01T12:00:00Z");
        ConsumerRecord<String, String> r = new ConsumerRecord<>("otp.requested", 0, 7L,
                sent.plus(storedAfterSending).toEpochMilli(), type, 0, 0, "+447400123456", "{}", new RecordHeaders(),
                Optional.empty());
        var ce = new DefaultIncomingCloudEventMetadata<String>("1.0", "ce-1", URI.create("/phonekey/otp-service"),
                "io.phonekey.otp.requested.v1", "application/json", null, null, sent.atZone(ZoneOffset.UTC), Map.of(),
                "{}");
        return Message.of("{}", Metadata.of(new IncomingKafkaRecordMetadata<>(r, "otp-requested"), ce));
    }

    @Test
    void aRecordStoredLongAfterItsProducerGaveUpIsLate() {
        assertEquals(Duration.ofSeconds(30),
                Inbox.lateBy(record(Duration.ofSeconds(30), TimestampType.LOG_APPEND_TIME)));
    }

    @Test
    void aRecordStoredWithinTheProducersPatienceIsNot() {
        assertNull(Inbox.lateBy(record(Duration.ofSeconds(8), TimestampType.LOG_APPEND_TIME)));
        assertNull(Inbox.lateBy(record(Publisher.STORE_DEADLINE, TimestampType.LOG_APPEND_TIME)));
    }

    @Test
    void theConsumersAndThePublisherDrawTheLineAtTheSameMillisecond() {
        // The publisher fails a send whose RecordMetadata says it was stored later than the deadline; a consumer
        // skips the same record: a sender told 201 is always delivered, one told 503 never.
        Instant sent = Instant.parse("2026-12-01T12:00:00Z");
        for (long ms : new long[]{9_999, 10_000, 10_001, 14_000, 30_000}) {
            Duration after = Duration.ofMillis(ms);
            boolean publisherFails = Publisher.lateBy(sent, sent.plus(after).toEpochMilli()) != null;
            boolean consumerSkips = Inbox.lateBy(record(after, TimestampType.LOG_APPEND_TIME)) != null;
            assertEquals(publisherFails, consumerSkips, "stored " + ms + " ms after sending");
            assertEquals(ms > 10_000, publisherFails, "stored " + ms + " ms after sending");
        }
    }

    @Test
    void withoutTheBrokersAppendTimeNothingIsJudged() {
        // CreateTime is the producer's own clock: it says nothing about when the broker stored the record.
        assertNull(Inbox.lateBy(record(Duration.ofMinutes(5), TimestampType.CREATE_TIME)));
        assertNull(Inbox.lateBy(Message.of("{}")));
    }
}
