package io.phonekey.sms.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
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
import io.phonekey.sms.repository.SpendLedger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.vertx.mutiny.core.Vertx;

/**
 * Delivers {@code otp.requested} events of channel sms and whatsapp. The message row, keyed by the event's
 * {@code ce_id}, is committed before the provider is called and the Kafka offset is acknowledged only after the
 * outcome is stored, so a redelivered event never sends a second message and a crash resends at most once. Before
 * the provider is called, the message's estimated cost is reserved against the daily caps; over a cap it is
 * {@code refused}, never sent.
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
    private final Pricing pricing;
    private final SpendLedger ledger;

    public Courier(SmsConfig config, SmsProvider provider, CodeDecryptor decryptor, MessageText text,
            DeliveryPublisher deliveries, ObjectMapper mapper, Vertx vertx, Pricing pricing, SpendLedger ledger) {
        this.config = config;
        this.provider = provider;
        this.decryptor = decryptor;
        this.text = text;
        this.deliveries = deliveries;
        this.mapper = mapper;
        this.vertx = vertx;
        this.pricing = pricing;
        this.ledger = ledger;
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
            return ledger.release(row).replaceWith(row);
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
        // A WhatsApp message is one message however long: Twilio reports it as one segment.
        Draft draft = new Draft(new OutgoingSms(event.phone(), event.channel(), body), MessageText.redact(body, code),
                "whatsapp".equals(event.channel()) ? 1 : Segments.of(body));
        return reserve(row, draft.segments())
                .flatMap(refusal -> refusal == null ? dispatch(row, draft, event) : refuse(row, refusal, draft, event));
    }

    /**
     * The check step: books the message's estimated cost against its phone's and its country's spend of the day, in
     * one transaction. Completes with the cap that refuses it ({@code cost_cap_phone} or {@code cost_cap_country}),
     * or null when it may go out. A row that already holds a reservation (a resend after a crash) books nothing more.
     */
    private Uni<String> reserve(SmsMessage row, int segments) {
        if (row.costEstimate != null) {
            return Uni.createFrom().nullItem();
        }
        BigDecimal estimate = pricing.estimate(row.country, segments);
        LocalDate day = SpendLedger.day(row.createdAt);
        return Panache.withTransaction(() -> ledger
                .reserve(day, SpendLedger.PHONE, row.phone, estimate, pricing.phoneCap())
                .flatMap(ok -> ok
                        ? ledger.reserve(day, SpendLedger.COUNTRY, SpendLedger.countryKey(row.country), estimate,
                                pricing.countryCap(row.country))
                        : Uni.createFrom().failure(new OverCap("cost_cap_phone")))
                .flatMap(ok -> ok
                        ? SmsMessage.<SmsMessage>findById(row.id)
                        : Uni.createFrom().failure(new OverCap("cost_cap_country")))
                .invoke(stored -> {
                    stored.segments = segments;
                    stored.costEstimate = estimate;
                }))
                .replaceWith((String) null)
                // The failure rolled back whatever the transaction had booked.
                .onFailure(OverCap.class).recoverWithItem(e -> e.getMessage());
    }

    private Uni<Void> refuse(SmsMessage row, String cap, Draft draft, OtpRequested event) {
        Log.warnf("message to %s refused, not sent: %s (estimate %s USD)", Phones.mask(event.phone()), cap,
                pricing.estimate(row.country, draft.segments()));
        return finish(row.id, "refused", null, cap, null, draft, event);
    }

    private Uni<Void> dispatch(SmsMessage row, Draft draft, OtpRequested event) {
        OutgoingSms sms = draft.sms();
        return vertx.executeBlocking(Uni.createFrom().item(() -> provider.dispatch(sms)))
                .onFailure(e -> e instanceof SendFailure f && f.retryable()).retry()
                .withBackOff(config.retryBackoff(), config.retryBackoff().multipliedBy(8)).withJitter(0.3)
                .atMost(Math.max(0, config.maxTries() - 1))
                .flatMap(result -> finish(row.id, "sent", result, null, null, draft, event)
                        // The message is out: retry only the recording, never the send.
                        .onFailure(Outages::isOutage).retry()
                        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                        .expireIn(STORE_OUTAGE_PATIENCE.toMillis())
                        .onFailure().transform(SentButUnrecorded::new))
                .onFailure(SendFailure.class).recoverWithUni(e -> {
                    SendFailure f = (SendFailure) e;
                    Log.warnf("sending to %s failed: %s", Phones.mask(event.phone()), f.getMessage());
                    Uni<Void> reported = finish(row.id, "failed", null,
                            f.retryable() ? "provider_unavailable" : "provider_rejected", f.errorCode(), draft, event);
                    // A permanent refusal is an outcome; exhausted retries also send the event to the DLQ.
                    return f.retryable() ? reported.chain(() -> Uni.createFrom().failure(f)) : reported;
                });
    }

    /**
     * Stores the outcome and publishes it. A message that ends failed gives back what it had reserved; a price the
     * provider reported replaces the estimate in the day's spend.
     */
    private Uni<Void> finish(UUID id, String status, SendResult result, String reason, String errorCode, Draft draft,
            OtpRequested event) {
        return Panache.withTransaction(() -> SmsMessage.<SmsMessage>findById(id).call(row -> {
            row.status = status;
            row.reason = reason;
            row.errorCode = errorCode;
            row.bodyRedacted = draft == null ? null : draft.redacted();
            row.segments = draft == null ? row.segments : Integer.valueOf(draft.segments());
            row.updatedAt = Instant.now();
            if ("failed".equals(status)) {
                return ledger.release(row);
            }
            if (result == null) {
                return Uni.createFrom().voidItem();
            }
            row.providerMessageId = result.providerMessageId();
            row.segments = result.segments() == null ? row.segments : result.segments();
            return ledger.priced(row, result.price(), result.priceUnit());
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

    /** The message as rendered: what goes out, the text as stored (code redacted) and its segments. */
    private record Draft(OutgoingSms sms, String redacted, int segments) {
    }

    /** The reservation would pass a cap: the message is refused; the message is the reason. */
    private static final class OverCap extends RuntimeException {

        OverCap(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The provider accepted the message but its outcome could not be stored: never a reason to send again. */
    static final class SentButUnrecorded extends RuntimeException {

        SentButUnrecorded(Throwable cause) {
            super("message sent but its outcome could not be recorded", cause);
        }
    }
}
