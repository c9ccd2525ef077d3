package io.phonekey.otp.event;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.otp.rest.Problem;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes CloudEvents keyed by phone and completes only when Kafka acknowledged the record (acks=all), so the API
 * never answers success for an event that was not stored. A failure surfaces as 503.
 */
@ApplicationScoped
public class EventPublisher {

    static final String SOURCE = "/phonekey/otp-service";
    /** Longer than max.block.ms + delivery.timeout.ms, so a timeout here means the producer gave up too. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final MutinyEmitter<String> requested;
    private final MutinyEmitter<String> verified;
    private final ObjectMapper mapper;

    public EventPublisher(@Channel("otp-requested") MutinyEmitter<String> requested,
            @Channel("otp-verified") MutinyEmitter<String> verified, ObjectMapper mapper) {
        this.requested = requested;
        this.verified = verified;
        this.mapper = mapper;
    }

    public Uni<Void> requested(OtpRequested event) {
        return send(requested, UUID.randomUUID().toString(), OtpRequested.TYPE, event.phone(), event);
    }

    /** One verification is approved at most once, so its event id is derived from it: a re-publish is a duplicate. */
    public Uni<Void> verified(OtpVerified event) {
        String ceId = UUID.nameUUIDFromBytes(("verified:" + event.verificationId())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        return send(verified, ceId, OtpVerified.TYPE, event.phone(), event);
    }

    private Uni<Void> send(MutinyEmitter<String> emitter, String ceId, String type, String key, Object payload) {
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        OutgoingCloudEventMetadata<String> ce = OutgoingCloudEventMetadata.<String>builder()
                .withId(ceId)
                .withType(type)
                .withSource(java.net.URI.create(SOURCE))
                .withDataContentType("application/json")
                .withTimestamp(ZonedDateTime.now())
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build();
        return emitter.sendMessage(Message.of(json, Metadata.of(ce, kafka)))
                .ifNoItem().after(ACK_TIMEOUT).fail()
                .onFailure().transform(e -> Problem.unavailable("event broker unavailable"));
    }
}
