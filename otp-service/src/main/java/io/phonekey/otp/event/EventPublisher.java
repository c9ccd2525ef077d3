package io.phonekey.otp.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpCanceled;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.OtpVerified;
import io.phonekey.contract.messaging.Publisher;
import io.phonekey.contract.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes otp-service's events and completes only when Kafka acknowledged the record (acks=all), so the API never
 * answers success for an event that was not stored. A failure surfaces as 503.
 */
@ApplicationScoped
public class EventPublisher {

    private final MutinyEmitter<String> requested;
    private final MutinyEmitter<String> verified;
    private final MutinyEmitter<String> canceled;
    private final Publisher publisher;

    public EventPublisher(@Channel("otp-requested") MutinyEmitter<String> requested,
            @Channel("otp-verified") MutinyEmitter<String> verified,
            @Channel("otp-canceled") MutinyEmitter<String> canceled, ObjectMapper mapper) {
        this.requested = requested;
        this.verified = verified;
        this.canceled = canceled;
        this.publisher = new Publisher("otp-service", mapper);
    }

    public Uni<Void> requested(OtpRequested event) {
        return unavailableOnFailure(publisher.publish(requested, EventType.OTP_REQUESTED, Publisher.newId(),
                event.getPhone(), event));
    }

    /** One verification is approved at most once, so its event id is derived from it: a re-publish is a duplicate. */
    public Uni<Void> verified(OtpVerified event) {
        return unavailableOnFailure(publisher.publish(verified, EventType.OTP_VERIFIED,
                Publisher.derivedId("verified", event.getVerificationId()), event.getPhone(), event));
    }

    /** A verification is canceled at most once (a reverted cancel never had its event stored): id derived from it. */
    public Uni<Void> canceled(OtpCanceled event) {
        return unavailableOnFailure(publisher.publish(canceled, EventType.OTP_CANCELED,
                Publisher.derivedId("canceled", event.getVerificationId()), event.getPhone(), event));
    }

    private static Uni<Void> unavailableOnFailure(Uni<Void> sent) {
        return sent.onFailure().transform(e -> Problem.unavailable("event broker unavailable"));
    }
}
