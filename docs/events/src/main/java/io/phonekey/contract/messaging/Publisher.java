package io.phonekey.contract.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.OutgoingMessageMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes PhoneKey CloudEvents (binary mode) for one service: type from the catalogue, source
 * {@code /phonekey/<service>}, keyed by phone so one phone's events stay in order, and complete only when Kafka
 * acknowledged the record (acks=all) and stored it within {@link #STORE_DEADLINE} of its sending. A failure, a
 * missing ack within {@link #ACK_TIMEOUT} or a record stored later than the deadline fails the Uni: the caller
 * answers 503 or retries, it never assumes the event went out.
 *
 * <p>Why the deadline: a record the caller was answered 503 for can still reach the broker afterwards (the connector
 * re-sends a record the producer expired; a stalled broker reads what waited in its socket). The consumers skip every
 * record stored later than the deadline after its {@code ce_time} ({@link Inbox}), and this publisher counts such a
 * record as failed: both sides judge the same two instants (the sender's {@code ce_time}, the broker's append time),
 * so a record is delivered exactly when its sender was told it went out. A record the broker stores in time but whose
 * acknowledgement is lost for longer than {@code ACK_TIMEOUT - STORE_DEADLINE} (5 s) is the one case left.
 */
public final class Publisher {

    /** Longer than the producers' max.block.ms + delivery.timeout.ms, so a timeout here means Kafka gave up too. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    /**
     * How long after its sending a record may be stored and still count (for its publisher and its consumers). Below
     * {@link #ACK_TIMEOUT}, above any healthy produce latency; the hosts' clocks must agree to well within it (NTP).
     */
    public static final Duration STORE_DEADLINE = Duration.ofSeconds(10);

    private final URI source;
    private final ObjectMapper mapper;

    public Publisher(String service, ObjectMapper mapper) {
        this.source = source(service);
        this.mapper = mapper;
    }

    public static URI source(String service) {
        return URI.create("/phonekey/" + service);
    }

    /** A fresh event id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * An event id derived from what the event announces (e.g. {@code verified:<verification id>}), so publishing the
     * same fact twice gives the same {@code ce_id} and consumers drop the second as a duplicate.
     */
    public static String derivedId(String kind, String of) {
        return UUID.nameUUIDFromBytes((kind + ":" + of).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Uni<Void> publish(MutinyEmitter<String> emitter, EventType type, String ceId, String phone,
            Object payload) {
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return send(emitter, message(type, ceId, phone, json));
    }

    /**
     * Sends a message made by {@link #message}: completes when Kafka acknowledged it and stored it within
     * {@link #STORE_DEADLINE}; fails otherwise ({@link StoredTooLate} is an outage: a 503 or a retry).
     */
    public Uni<Void> send(MutinyEmitter<String> emitter, Message<String> message) {
        return emitter.sendMessage(message).ifNoItem().after(ACK_TIMEOUT).fail().chain(() -> {
            @SuppressWarnings("unchecked")
            OutgoingCloudEventMetadata<String> ce = message.getMetadata(OutgoingCloudEventMetadata.class)
                    .orElse(null);
            Instant sent = ce == null ? null : ce.getTimeStamp().map(java.time.ZonedDateTime::toInstant).orElse(null);
            @SuppressWarnings("unchecked")
            OutgoingMessageMetadata<RecordMetadata> result = message.getMetadata(OutgoingMessageMetadata.class)
                    .orElse(null);
            RecordMetadata stored = result == null ? null : result.getResult();
            if (stored == null || !stored.hasTimestamp() || sent == null) {
                // Fail closed: without the broker's append time the deadline cannot be judged (every test sees it).
                return Uni.createFrom().<Void>failure(new IllegalStateException(
                        "the Kafka connector reported no stored record (RecordMetadata) for a sent message"));
            }
            Duration late = lateBy(sent, stored.timestamp());
            return late == null ? Uni.createFrom().voidItem() : Uni.createFrom().<Void>failure(new StoredTooLate(late));
        });
    }

    /**
     * How late a record sent at {@code sent} and stored at {@code storedAtMillis} (the broker's append time) was, when
     * later than {@link #STORE_DEADLINE}; null when in time or when the sending time is unknown.
     */
    public static Duration lateBy(Instant sent, long storedAtMillis) {
        if (sent == null) {
            return null;
        }
        Duration late = Duration.between(sent, Instant.ofEpochMilli(storedAtMillis));
        return late.compareTo(STORE_DEADLINE) > 0 ? late : null;
    }

    /** Kafka stored the record after {@link #STORE_DEADLINE}: its consumers skip it, so it did not go out. */
    public static final class StoredTooLate extends TimeoutException {

        private static final long serialVersionUID = 1L;

        StoredTooLate(Duration late) {
            super("Kafka stored the record " + late.toMillis() + " ms after it was sent (deadline "
                    + STORE_DEADLINE.toMillis() + " ms): its consumers skip it");
        }
    }

    /** The message as it goes to Kafka: CloudEvents metadata and the record key. */
    public Message<String> message(EventType type, String ceId, String phone, String json) {
        OutgoingCloudEventMetadata<String> ce = OutgoingCloudEventMetadata.<String>builder()
                .withId(ceId)
                .withType(type.type())
                .withSource(source)
                .withDataContentType("application/json")
                // Milliseconds, as the broker's append time: the publisher and the consumers compare the same values.
                .withTimestamp(Instant.now().truncatedTo(ChronoUnit.MILLIS).atZone(ZoneOffset.UTC))
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(phone)
                .build();
        // The connector puts the RecordMetadata (offset, append time) of the stored record here.
        return Message.of(json, Metadata.of(ce, kafka, new OutgoingMessageMetadata<RecordMetadata>()));
    }
}
