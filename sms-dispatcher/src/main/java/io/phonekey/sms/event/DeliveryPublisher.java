package io.phonekey.sms.event;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes {@code otp.delivery} CloudEvents keyed by phone; completes when Kafka acknowledged them. */
@ApplicationScoped
public class DeliveryPublisher {

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper mapper;

    public DeliveryPublisher(@Channel("otp-delivery") MutinyEmitter<String> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.mapper = mapper;
    }

    public Uni<Void> publish(OtpDelivery event) {
        String json;
        try {
            json = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        OutgoingCloudEventMetadata<String> ce = OutgoingCloudEventMetadata.<String>builder()
                .withId(UUID.randomUUID().toString())
                .withType(OtpDelivery.TYPE)
                .withSource(URI.create("/phonekey/sms-dispatcher"))
                .withDataContentType("application/json")
                .withTimestamp(ZonedDateTime.now())
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.phone()).build();
        return emitter.sendMessage(Message.of(json, Metadata.of(ce, kafka)))
                .ifNoItem().after(Duration.ofSeconds(10)).fail();
    }
}
