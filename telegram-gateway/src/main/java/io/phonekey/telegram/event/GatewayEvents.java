package io.phonekey.telegram.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpDeliveryStatus;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.messaging.Publisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Publishes this gateway's events keyed by phone; each send completes when Kafka acknowledged it. */
@ApplicationScoped
public class GatewayEvents {

    private final MutinyEmitter<String> delivery;
    private final MutinyEmitter<String> requested;
    private final Publisher publisher;

    public GatewayEvents(@Channel("otp-delivery") MutinyEmitter<String> delivery,
            @Channel("otp-requested-out") MutinyEmitter<String> requested, ObjectMapper mapper) {
        this.delivery = delivery;
        this.requested = requested;
        this.publisher = new Publisher("telegram-gateway", mapper);
    }

    public Uni<Void> delivery(String ceId, OtpDeliveryStatus event) {
        return publisher.publish(delivery, EventType.OTP_DELIVERY, ceId, event.getPhone(), event);
    }

    public Uni<Void> requested(String ceId, OtpRequested event) {
        return publisher.publish(requested, EventType.OTP_REQUESTED, ceId, event.getPhone(), event);
    }
}
