package io.phonekey.sms.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import io.phonekey.sms.config.SmsConfig;
import io.phonekey.sms.crypto.CodeDecryptor;
import io.phonekey.sms.event.DeliveryPublisher;
import io.phonekey.sms.event.OtpDelivery;
import io.phonekey.sms.event.OtpRequested;
import io.phonekey.sms.provider.OutgoingSms;
import io.phonekey.sms.provider.Phones;
import io.phonekey.sms.provider.SendFailure;
import io.phonekey.sms.provider.SendResult;
import io.phonekey.sms.provider.SmsProvider;
import io.phonekey.sms.repository.SmsMessage;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.vertx.mutiny.core.Vertx;

/**
 * Delivers {@code otp.requested} events of channel sms and whatsapp. The message row, keyed by the event's
 * {@code ce_id}, is committed before the provider is called and the Kafka offset is acknowledged only after the
 * outcome is stored, so a redelivered event never sends a second message and a crash resends at most once.
 */
@ApplicationScoped
public class Courier {

    private static final Set<String> CHANNELS = Set.of("sms", "whatsapp");
    /** A row still {@code queued} after this many sends was interrupted twice: abandon it rather than loop. */
    private static final int MAX_SENDS = 2;

    /** How long a record waits for a store or broker to come back before it goes to the dead-letter topic. */
    private static final Duration STORE_OUTAGE_PATIENCE = Duration.ofMinutes(10);

    private final SmsConfig config;
    private final SmsProvider provider;
    private final CodeDecryptor decryptor;
    private final MessageText text;
    private final DeliveryPublisher deliveries;
    private final ObjectMapper mapper;
    private final Vertx vertx;

    public Courier(SmsConfig config, SmsProvider provider, CodeDecryptor decryptor, MessageText text,
            DeliveryPublisher deliveries, ObjectMapper mapper, Vertx vertx) {
        this.config = config;
        this.provider = provider;
        this.decryptor = decryptor;
        this.text = text;
        this.deliveries = deliveries;
        this.mapper = mapper;
        this.vertx = vertx;
    }

    @Incoming("otp-requested")
    public Uni<Void> onRequested(Message<String> message) {
        Uni<Void> work;
        try {
            String ceId = message.getMetadata(IncomingCloudEventMetadata.class).map(m -> m.getId())
                    .orElseThrow(() -> new IllegalArgumentException("not a CloudEvent: no ce_id"));
            OtpRequested event = mapper.readValue(message.getPayload(), OtpRequested.class);
            if (!event.complete()) {
                throw new IllegalArgumentException("otp.requested lacks required fields");
            }
            work = CHANNELS.contains(event.channel()) ? handle(ceId, event) : Uni.createFrom().voidItem();
        } catch (Exception e) {
            work = Uni.createFrom().failure(e instanceof IllegalArgumentException
                    ? e
                    : new IllegalArgumentException("unreadable otp.requested record", e));
        }
        // A failure nacks the record: the dead-letter-queue strategy moves it to otp.requested.dlq with the reason.
        // A store or broker that is down is waited for (the partition pauses, nothing is lost); only a record
        // that can never succeed goes to the dead-letter topic.
        return work
                .onFailure(e -> !(e instanceof SendFailure) && !(e instanceof SentButUnrecorded) && Outages.isOutage(e))
                .retry()
                .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).expireIn(STORE_OUTAGE_PATIENCE.toMillis())
                .onItemOrFailure().transformToUni((ok, failure) -> failure == null
                        ? Uni.createFrom().completionStage(message.ack())
                        : Uni.createFrom().completionStage(message.nack(failure)));
    }

    private Uni<Void> handle(String ceId, OtpRequested event) {
        return Panache.withTransaction(() -> SmsMessage.findByCeId(ceId)
                .flatMap(existing -> existing != null ? claimAgain(existing) : claimNew(ceId, event)))
                .flatMap(row -> row == null
                        ? Uni.createFrom().voidItem()
                        : "failed".equals(row.status) ? reportAbandoned(row, event) : send(row, event));
    }

    /** A first delivery: store the row as queued with one send counted, before anything leaves. */
    private Uni<SmsMessage> claimNew(String ceId, OtpRequested event) {
        SmsMessage row = new SmsMessage();
        Instant now = Instant.now();
        row.id = UUID.randomUUID();
        row.ceId = ceId;
        row.verificationId = event.verificationId();
        row.phoneMasked = Phones.mask(event.phone());
        row.phone = event.phone();
        row.country = country(event.phone());
        row.channel = event.channel();
        row.purpose = event.purpose();
        row.provider = provider.id();
        row.status = "queued";
        row.sendCount = 1;
        row.expiresAt = event.expiresAt();
        row.createdAt = now;
        row.updatedAt = now;
        return row.<SmsMessage>persist();
    }

    /** A redelivery: only a row left queued by a crash mid-send is sent again, and only once. */
    private Uni<SmsMessage> claimAgain(SmsMessage row) {
        if (!"queued".equals(row.status)) {
            Log.debugf("event for verification %s already handled (%s): nothing sent", row.verificationId, row.status);
            return Uni.createFrom().nullItem();
        }
        if (row.sendCount >= MAX_SENDS) {
            row.status = "failed";
            row.reason = "abandoned";
            row.updatedAt = Instant.now();
            return Uni.createFrom().item(row);
        }
        row.sendCount++;
        row.updatedAt = Instant.now();
        return Uni.createFrom().item(row);
    }

    /** Two interrupted sends: give up on this message, and say so on otp.delivery rather than go quiet. */
    private Uni<Void> reportAbandoned(SmsMessage row, OtpRequested event) {
        Log.warnf("message to %s abandoned after %d interrupted sends", row.phoneMasked, row.sendCount);
        return deliveries.publish(new OtpDelivery(event.verificationId(), event.phone(), event.channel(), row.status,
                provider.id(), row.providerMessageId, row.reason, null, row.sendCount, Instant.now()));
    }

    private Uni<Void> send(SmsMessage row, OtpRequested event) {
        Instant now = Instant.now();
        if (Duration.between(now, event.expiresAt()).compareTo(config.minRemaining()) < 0) {
            // A backlog must not deliver dead codes.
            return finish(row.id, "dropped", null, "expired", null, null, event);
        }
        String code = decryptor.decrypt(event);
        String body = text.render(event, code, now);
        OutgoingSms sms = new OutgoingSms(event.phone(), event.channel(), body);
        String redacted = MessageText.redact(body, code);
        return vertx.executeBlocking(Uni.createFrom().item(() -> provider.dispatch(sms)))
                .onFailure(e -> e instanceof SendFailure f && f.retryable()).retry()
                .withBackOff(config.retryBackoff(), config.retryBackoff().multipliedBy(8)).withJitter(0.3)
                .atMost(Math.max(0, config.maxTries() - 1))
                .flatMap(result -> finish(row.id, "sent", result, null, null, redacted, event)
                        // The message is out: retry only the recording, never the send.
                        .onFailure(Outages::isOutage).retry()
                        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                        .expireIn(STORE_OUTAGE_PATIENCE.toMillis())
                        .onFailure().transform(SentButUnrecorded::new))
                .onFailure(SendFailure.class).recoverWithUni(e -> {
                    SendFailure f = (SendFailure) e;
                    Log.warnf("sending to %s failed: %s", Phones.mask(event.phone()), f.getMessage());
                    Uni<Void> reported = finish(row.id, "failed", null,
                            f.retryable() ? "provider_unavailable" : "provider_rejected", f.errorCode(), redacted,
                            event);
                    // A permanent refusal is an outcome; exhausted retries also send the event to the DLQ.
                    return f.retryable() ? reported.chain(() -> Uni.createFrom().failure(f)) : reported;
                });
    }

    private Uni<Void> finish(UUID id, String status, SendResult result, String reason, String errorCode,
            String redacted, OtpRequested event) {
        return Panache.withTransaction(() -> SmsMessage.<SmsMessage>findById(id).invoke(row -> {
            row.status = status;
            row.reason = reason;
            row.errorCode = errorCode;
            row.bodyRedacted = redacted;
            row.updatedAt = Instant.now();
            if (result != null) {
                row.providerMessageId = result.providerMessageId();
            }
        })).flatMap(row -> deliveries.publish(new OtpDelivery(event.verificationId(), event.phone(), event.channel(),
                status, provider.id(), row.providerMessageId, reason, row.errorCode, row.sendCount, Instant.now())));
    }

    private static String country(String e164) {
        try {
            PhoneNumberUtil util = PhoneNumberUtil.getInstance();
            return util.getRegionCodeForNumber(util.parse(e164, null));
        } catch (Exception e) {
            return null;
        }
    }

    /** The provider accepted the message but its outcome could not be stored: never a reason to send again. */
    static final class SentButUnrecorded extends RuntimeException {

        SentButUnrecorded(Throwable cause) {
            super("message sent but its outcome could not be recorded", cause);
        }
    }
}
