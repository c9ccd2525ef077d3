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

    /**
     * The {@code ce_id} is derived from the fact the event reports (which verification, on which channel and message,
     * what status and why), so publishing the same outcome again, after a broker stall or a redelivered callback, gives
     * the same id and consumers can drop the copy.
     */
    public Uni<Void> publish(OtpDeliveryStatus event) {
        return publisher.publish(emitter, EventType.OTP_DELIVERY, ceId(event), event.getPhone(), event);
    }

    static String ceId(OtpDeliveryStatus event) {
        return Publisher.derivedId("delivery", String.join("|", event.getVerificationId(),
                String.valueOf(event.getChannel()), String.valueOf(event.getStatus()),
                String.valueOf(event.getProviderMessageId()), String.valueOf(event.getReason())));
    }
}
