package io.phonekey.sms.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpDeliveryStatus;
import io.phonekey.contract.messaging.Publisher;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Publishes {@code otp.delivery} events keyed by phone; completes when Kafka acknowledged them. */
@ApplicationScoped
public class DeliveryPublisher {

    private final MutinyEmitter<String> emitter;
    private final Publisher publisher;

    public DeliveryPublisher(@Channel("otp-delivery") MutinyEmitter<String> emitter, ObjectMapper mapper) {
        this.emitter = emitter;
        this.publisher = new Publisher("sms-dispatcher", mapper);
    }

    public Uni<Void> publish(OtpDeliveryStatus event) {
        return publisher.publish(emitter, EventType.OTP_DELIVERY, Publisher.newId(), event.getPhone(), event);
    }
}
