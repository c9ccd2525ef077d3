package io.phonekey.contract.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes PhoneKey CloudEvents (binary mode) for one service: type from the catalogue, source
 * {@code /phonekey/<service>}, keyed by phone so one phone's events stay in order, and complete only when Kafka
 * acknowledged the record (acks=all). A failure or a missing ack within {@link #ACK_TIMEOUT} fails the Uni: the
 * caller answers 503 or retries, it never assumes the event went out.
 */
public final class Publisher {

    /** Longer than the producers' max.block.ms + delivery.timeout.ms, so a timeout here means Kafka gave up too. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

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
        return emitter.sendMessage(message(type, ceId, phone, json)).ifNoItem().after(ACK_TIMEOUT).fail();
    }

    /** The message as it goes to Kafka: CloudEvents metadata and the record key. */
    public Message<String> message(EventType type, String ceId, String phone, String json) {
        OutgoingCloudEventMetadata<String> ce = OutgoingCloudEventMetadata.<String>builder()
                .withId(ceId)
                .withType(type.type())
                .withSource(source)
                .withDataContentType("application/json")
                .withTimestamp(ZonedDateTime.now())
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(phone)
                .build();
        return Message.of(json, Metadata.of(ce, kafka));
    }
}
