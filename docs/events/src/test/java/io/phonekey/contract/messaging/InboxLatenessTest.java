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
        assertNull(Inbox.lateBy(record(Duration.ofSeconds(12), TimestampType.LOG_APPEND_TIME)));
        assertNull(Inbox.lateBy(record(Inbox.GHOST_AFTER, TimestampType.LOG_APPEND_TIME)));
    }

    @Test
    void withoutTheBrokersAppendTimeNothingIsJudged() {
        // CreateTime is the producer's own clock: it says nothing about when the broker stored the record.
        assertNull(Inbox.lateBy(record(Duration.ofMinutes(5), TimestampType.CREATE_TIME)));
        assertNull(Inbox.lateBy(Message.of("{}")));
    }
}
