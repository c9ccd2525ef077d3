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

import io.phonekey.contract.crypto.CodeSeal;
import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.DeliveryChannel;
import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpDeliveryStatus;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.SecurityNotice;
import io.phonekey.contract.failure.Failures;
import io.phonekey.contract.messaging.Inbox;
import io.phonekey.contract.text.PhoneMask;
import io.phonekey.sms.config.SmsConfig;
import io.phonekey.sms.event.DeliveryPublisher;
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
import io.vertx.mutiny.core.Vertx;

/**
 * Delivers {@code otp.requested} events of channel sms and whatsapp, and {@code security.notice} events by SMS. The message row, keyed by the event's
 * {@code ce_id}, is committed before the provider is called and the Kafka offset is acknowledged only after the
 * outcome is stored, so a redelivered event never sends a second message and a crash resends at most once. Before
 * the provider is called, the message's estimated cost is reserved against the daily caps; over a cap it is
 * {@code refused}, never sent.
 */
@ApplicationScoped
public class Courier {

    private static final Set<Channel> CHANNELS = Set.of(Channel.SMS, Channel.WHATSAPP);
    /** A row still {@code queued} after this many sends was interrupted twice: abandon it rather than loop. */
    private static final int MAX_SENDS = 2;

    private final SmsConfig config;
    private final SmsProvider provider;
    private final CodeSeal seal;
    private final Inbox inbox;
    private final MessageText text;
    private final DeliveryPublisher deliveries;
    private final Vertx vertx;
    private final Pricing pricing;
    private final SpendLedger ledger;
    private final OptOuts optOuts;

    public Courier(SmsConfig config, SmsProvider provider, CodeSeal seal, MessageText text,
            DeliveryPublisher deliveries, ObjectMapper mapper, Vertx vertx, Pricing pricing, SpendLedger ledger,
            OptOuts optOuts) {
        this.config = config;
        this.provider = provider;
        this.seal = seal;
        this.text = text;
        this.deliveries = deliveries;
        this.inbox = new Inbox(mapper);
        this.vertx = vertx;
        this.pricing = pricing;
        this.ledger = ledger;
        this.optOuts = optOuts;
    }

    @Incoming("otp-requested")
    public Uni<Void> onRequested(Message<String> message) {
        return inbox.receive(message, EventType.OTP_REQUESTED, OtpRequested.class,
                (ceId, event) -> CHANNELS.contains(event.getChannel())
                        ? handle(ceId, codeJob(event))
                        : Uni.createFrom().voidItem(),
                Courier::worthWaitingFor);
    }

    /**
     * Security notices by SMS, for the kinds in {@code SMS_NOTICE_KINDS}. They are not verification codes: a phone
     * that opted out (STOP) gets none. The text never carries a code, token or link.
     */
    @Incoming("security-notice")
    public Uni<Void> onNotice(Message<String> message) {
        return inbox.receive(message, EventType.SECURITY_NOTICE, SecurityNotice.class,
                (ceId, notice) -> config.noticeKinds().contains(notice.getKind().value())
                        ? handle(ceId, noticeJob(notice))
                        : Uni.createFrom().voidItem(),
                Courier::worthWaitingFor);
    }

    /**
     * What holds a record back instead of dead-lettering it: another consumer's claim, or a store or broker outage;
     * never a provider's answer (retried in {@link #dispatch}) nor a message already sent whose outcome was not stored.
     */
    private static boolean worthWaitingFor(Throwable e) {
        return e instanceof InFlightElsewhere
                || !(e instanceof SendFailure) && !(e instanceof SentButUnrecorded) && Failures.isOutage(e);
    }

    private Job codeJob(OtpRequested event) {
        return new Job(event.getVerificationId(), event.getPhone(), event.getChannel().value(),
                event.getPurpose().value(), event.getExpiresAt(), true, now -> {
                    String code = seal.open(event.getVerificationId(), event.getPhone(), event.getCode());
                    String body = text.render(event, code, now);
                    return new Job.Rendered(body, MessageText.redact(body, code));
                });
    }

    private Job noticeJob(SecurityNotice notice) {
        return new Job("notice:" + notice.getKind().value() + ":" + notice.getUserId(), notice.getPhone(), "sms",
                "notice_" + notice.getKind().value(), notice.getOccurredAt().plus(config.noticeLifetime()), false,
                now -> {
                    String body = text.renderNotice(notice);
                    return new Job.Rendered(body, body);
                });
    }

    private Uni<Void> handle(String ceId, Job job) {
        return Panache.withTransaction(() -> SmsMessage.findByCeId(ceId)
                .flatMap(existing -> existing != null ? claimAgain(existing) : claimNew(ceId, job)))
                // Two consumers inserting the same ce_id (a rebalance): the loser waits for the winner's outcome.
                .onFailure(Failures::isUniqueViolation).transform(e -> new InFlightElsewhere())
                .flatMap(row -> row == null
                        ? Uni.createFrom().voidItem()
                        : row.status == DeliveryStatus.FAILED ? reportAbandoned(row, job) : send(row, job));
    }

    /** A first delivery: store the row as queued with one send counted, before anything leaves. */
    private Uni<SmsMessage> claimNew(String ceId, Job job) {
        SmsMessage row = new SmsMessage();
        Instant now = Instant.now();
        row.id = UUID.randomUUID();
        row.ceId = ceId;
        row.verificationId = job.reference();
        row.phoneMasked = PhoneMask.mask(job.phone());
        row.phone = job.phone();
        row.country = Phones.region(job.phone());
        row.channel = job.channel();
        row.purpose = job.purpose();
        row.provider = provider.id();
        row.status = DeliveryStatus.QUEUED;
        row.sendCount = 1;
        row.expiresAt = job.expiresAt();
        row.createdAt = now;
        row.updatedAt = now;
        return row.<SmsMessage>persist();
    }

    /** A redelivery: only a row left queued by a crash mid-send is sent again, and only once. */
    private Uni<SmsMessage> claimAgain(SmsMessage row) {
        if (row.status != DeliveryStatus.QUEUED) {
            Log.debugf("event for verification %s already handled (%s): nothing sent", row.verificationId, row.status);
            return Uni.createFrom().nullItem();
        }
        if (row.updatedAt != null && row.updatedAt.isAfter(Instant.now().minus(config.claimLease()))) {
            // Queued and claimed within the lease: another consumer is sending it right now (a rebalance handed the
            // record to two of us), not a crash. Wait for its outcome instead of sending a second message.
            return Uni.createFrom().failure(new InFlightElsewhere());
        }
        if (row.sendCount >= MAX_SENDS) {
            row.status = DeliveryStatus.FAILED;
            row.reason = "abandoned";
            row.updatedAt = Instant.now();
            return ledger.release(row).replaceWith(row);
        }
        row.sendCount++;
        row.updatedAt = Instant.now();
        return Uni.createFrom().item(row);
    }

    /** Two interrupted sends: give up on this message, and say so on otp.delivery rather than go quiet. */
    private Uni<Void> reportAbandoned(SmsMessage row, Job job) {
        Log.warnf("message to %s abandoned after %d interrupted sends", row.phoneMasked, row.sendCount);
        return report(job, row, row.status, row.reason);
    }

    private Uni<Void> send(SmsMessage row, Job job) {
        Instant now = Instant.now();
        if (Duration.between(now, job.expiresAt()).compareTo(config.minRemaining()) < 0) {
            // A backlog must not deliver dead codes, nor news that is no longer news.
            return finish(row.id, DeliveryStatus.DROPPED, null, "expired", null, null, job);
        }
        Job.Rendered text = job.render().apply(now);
        // A WhatsApp message is one message however long: Twilio reports it as one segment.
        Draft draft = new Draft(new OutgoingSms(job.phone(), job.channel(), text.body()), text.stored(),
                "whatsapp".equals(job.channel()) ? 1 : Segments.of(text.body()));
        return optOuts.maySend(job.phone(), job.verificationCode()).flatMap(allowed -> allowed
                ? reserve(row, draft.segments()).flatMap(refusal -> refusal == null
                        ? dispatch(row, draft, job)
                        : refuse(row, refusal, draft, job))
                : refuse(row, "opted_out", draft, job));
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

    /** Not sent, for a reason recorded on the row: a cost cap, or an opt-out for a message that is not a code. */
    private Uni<Void> refuse(SmsMessage row, String reason, Draft draft, Job job) {
        Log.warnf("message to %s refused, not sent: %s (estimate %s USD)", PhoneMask.mask(job.phone()), reason,
                pricing.estimate(row.country, draft.segments()));
        return finish(row.id, DeliveryStatus.REFUSED, null, reason, null, draft, job);
    }

    private Uni<Void> dispatch(SmsMessage row, Draft draft, Job job) {
        OutgoingSms sms = draft.sms();
        return vertx.executeBlocking(Uni.createFrom().item(() -> provider.dispatch(sms)))
                .onFailure(e -> e instanceof SendFailure f && f.retryable()).retry()
                .withBackOff(config.retryBackoff(), config.retryBackoff().multipliedBy(8)).withJitter(0.3)
                .atMost(Math.max(0, config.maxTries() - 1))
                .flatMap(result -> finish(row.id, DeliveryStatus.SENT, result, null, null, draft, job)
                        // The message is out: retry only the recording, never the send.
                        .onFailure(Failures::isOutage).retry()
                        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                        .expireIn(Inbox.OUTAGE_PATIENCE.toMillis())
                        .onFailure().transform(SentButUnrecorded::new))
                .onFailure(SendFailure.class).recoverWithUni(e -> {
                    SendFailure f = (SendFailure) e;
                    Log.warnf("sending to %s failed: %s", PhoneMask.mask(job.phone()), f.getMessage());
                    Uni<Void> reported = finish(row.id, DeliveryStatus.FAILED, null,
                            f.retryable() ? "provider_unavailable" : "provider_rejected", f.errorCode(), draft, job);
                    // A permanent refusal is an outcome; exhausted retries also send the event to the DLQ.
                    return f.retryable() ? reported.chain(() -> Uni.createFrom().failure(f)) : reported;
                });
    }

    /**
     * Stores the outcome and publishes it. A message that ends failed gives back what it had reserved; a price the
     * provider reported replaces the estimate in the day's spend.
     */
    private Uni<Void> finish(UUID id, DeliveryStatus status, SendResult result, String reason, String errorCode,
            Draft draft,
            Job job) {
        return Panache.withTransaction(() -> SmsMessage.<SmsMessage>findById(id).call(row -> {
            row.status = status;
            row.reason = reason;
            row.errorCode = errorCode;
            row.bodyRedacted = draft == null ? null : draft.redacted();
            row.segments = draft == null ? row.segments : Integer.valueOf(draft.segments());
            row.updatedAt = Instant.now();
            if (status == DeliveryStatus.FAILED) {
                return ledger.release(row);
            }
            if (result == null) {
                return Uni.createFrom().voidItem();
            }
            row.providerMessageId = result.providerMessageId();
            row.segments = result.segments() == null ? row.segments : result.segments();
            return ledger.priced(row, result.price(), result.priceUnit());
        })).flatMap(row -> report(job, row, status, reason));
    }

    /**
     * A code's outcome goes out on otp.delivery, whose consumers follow verifications; a notice's stays in the message
     * log (the admin API shows it) and the log line.
     */
    private Uni<Void> report(Job job, SmsMessage row, DeliveryStatus status, String reason) {
        if (!job.verificationCode()) {
            Log.infof("notice %s to %s: %s%s", job.purpose(), row.phoneMasked, status,
                    reason == null ? "" : " (" + reason + ")");
            return Uni.createFrom().voidItem();
        }
        return deliveries.publish(new OtpDeliveryStatus().withVerificationId(job.reference()).withPhone(job.phone())
                .withChannel(DeliveryChannel.fromValue(job.channel())).withStatus(status)
                .withProvider(provider.id()).withProviderMessageId(row.providerMessageId).withReason(reason)
                .withErrorCode(row.errorCode).withAttempts((long) row.sendCount).withOccurredAt(Instant.now()));
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

    /** Another consumer holds this message within its claim lease: retried later, never sent twice at once. */
    static final class InFlightElsewhere extends RuntimeException {

        InFlightElsewhere() {
            super("message in flight in another consumer", null, false, false);
        }
    }

    /** The provider accepted the message but its outcome could not be stored: never a reason to send again. */
    static final class SentButUnrecorded extends RuntimeException {

        SentButUnrecorded(Throwable cause) {
            super("message sent but its outcome could not be recorded", cause);
        }
    }
}
