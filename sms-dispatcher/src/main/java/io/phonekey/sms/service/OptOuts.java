package io.phonekey.sms.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.failure.Failures;
import io.phonekey.contract.text.PhoneMask;
import io.phonekey.sms.repository.SmsConsentEvent;
import io.phonekey.sms.repository.SmsOptOut;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Consent to receive messages, as phones withdraw and give it back with keywords ({@link InboundMessages}). The state
 * per phone (E.164, across sms and whatsapp) is in {@code sms_opt_out}; every change is also appended to
 * {@code sms_consent_event}, keyed by the provider's message id, so a retried webhook changes nothing twice.
 *
 * <p>
 * Policy: a verification code is still sent to an opted-out phone, because the user has just asked for exactly that
 * message (and a STOP must not lock anyone out of their account). Any other message (today: security notices)
 * respects the opt-out: the courier asks {@link #maySend} before sending it.
 */
@ApplicationScoped
public class OptOuts {

    /** The source of changes that arrive on Twilio's incoming-message webhook. */
    public static final String TWILIO_INBOUND = "twilio_inbound";

    /** One change of consent, from one incoming message. */
    public record Change(String phone, String channel, boolean optOut, String keyword, String source,
            String messageSid) {
    }

    /** Whether the phone (E.164) has opted out and not back in. */
    public Uni<Boolean> isOptedOut(String phone) {
        return Panache.withSession(() -> SmsOptOut.<SmsOptOut>findById(phone)).map(row -> row != null && row.optedOut);
    }

    /** The policy: a verification code may always go out; any other message only to a phone that has not opted out. */
    public Uni<Boolean> maySend(String phone, boolean verificationCode) {
        return verificationCode ? Uni.createFrom().item(true) : isOptedOut(phone).map(out -> !out);
    }

    /** Records a change; completes with false when its message id was recorded before (a retried webhook). */
    public Uni<Boolean> record(Change change) {
        return Uni.createFrom()
                .deferred(() -> Panache.withTransaction(() -> SmsConsentEvent.count("messageSid", change.messageSid())
                        .flatMap(seen -> seen > 0 ? Uni.createFrom().item(false) : apply(change))))
                // Two deliveries at once: the later insert breaks a unique key and, tried again, finds the first.
                .onFailure(Failures::isUniqueViolation).retry().atMost(1)
                .invoke(recorded -> {
                    if (recorded) {
                        Log.infof("consent: %s opted %s (%s on %s)", PhoneMask.mask(change.phone()),
                                change.optOut() ? "out" : "in", change.keyword(), change.channel());
                    } else {
                        Log.infof("consent: %s from %s again (the same MessageSid): nothing changed", change.keyword(),
                                PhoneMask.mask(change.phone()));
                    }
                });
    }

    private static Uni<Boolean> apply(Change change) {
        Instant now = Instant.now();
        SmsConsentEvent event = new SmsConsentEvent();
        event.id = UUID.randomUUID();
        event.phone = change.phone();
        event.channel = change.channel();
        event.action = change.optOut() ? "opt_out" : "opt_in";
        event.keyword = change.keyword();
        event.source = change.source();
        event.messageSid = change.messageSid();
        event.at = now;
        return event.persist().chain(() -> SmsOptOut.<SmsOptOut>findById(change.phone())).chain(found -> {
            if (found != null && found.optedOut == change.optOut()) {
                // Already in that state: the history grows, the state keeps the message that set it.
                return Uni.createFrom().item(true);
            }
            SmsOptOut row = found != null ? found : new SmsOptOut();
            if (found == null) {
                row.phone = change.phone();
                row.createdAt = now;
            }
            row.channel = change.channel();
            row.optedOut = change.optOut();
            row.keyword = change.keyword();
            row.source = change.source();
            row.messageSid = change.messageSid();
            row.changedAt = now;
            return row.persist().replaceWith(true);
        });
    }

}
