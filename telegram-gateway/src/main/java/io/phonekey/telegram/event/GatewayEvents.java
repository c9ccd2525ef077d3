package io.phonekey.telegram.event;

import java.net.URI;
import java.time.Duration;
import java.time.ZonedDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Publishes this gateway's CloudEvents keyed by phone; each send completes when Kafka acknowledged it. */
@ApplicationScoped
public class GatewayEvents {

    public static final String DELIVERY_TYPE = "io.phonekey.otp.delivery.v1";
    public static final String REQUESTED_TYPE = "io.phonekey.otp.requested.v1";

    private final MutinyEmitter<String> delivery;
    private final MutinyEmitter<String> requested;

    public GatewayEvents(@Channel("otp-delivery") MutinyEmitter<String> delivery,
            @Channel("otp-requested-out") MutinyEmitter<String> requested) {
        this.delivery = delivery;
        this.requested = requested;
    }

    public Uni<Void> delivery(String ceId, String phone, String json) {
        return send(delivery, ceId, DELIVERY_TYPE, phone, json);
    }

    public Uni<Void> requested(String ceId, String phone, String json) {
        return send(requested, ceId, REQUESTED_TYPE, phone, json);
    }

    private static Uni<Void> send(MutinyEmitter<String> emitter, String ceId, String type, String phone, String json) {
        OutgoingCloudEventMetadata<String> ce = OutgoingCloudEventMetadata.<String>builder()
                .withId(ceId)
                .withType(type)
                .withSource(URI.create("/phonekey/telegram-gateway"))
                .withDataContentType("application/json")
                .withTimestamp(ZonedDateTime.now())
                .build();
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(phone)
                .build();
        return emitter.sendMessage(Message.of(json, Metadata.of(ce, kafka))).ifNoItem().after(Duration.ofSeconds(10))
                .fail();
    }
}
