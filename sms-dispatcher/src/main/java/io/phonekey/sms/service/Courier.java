package io.phonekey.sms.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import io.phonekey.sms.provider.TwilioProvider;
import io.phonekey.sms.repository.MessageStore;
import io.phonekey.sms.repository.SmsMessage;
import io.phonekey.sms.repository.SpendLedger;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;

/**
 * Delivers {@code otp.requested} events of channel sms and whatsapp, and {@code security.notice} events by SMS. The message row, keyed by the event's
 * {@code ce_id}, is committed before the provider is called and the Kafka offset is acknowledged only after the
 * outcome is stored, so a redelivered event never sends a second message and a crash resends at most once. Before
 * the provider is called, the message's estimated cost is reserved against the daily caps; over a cap it is
 * {@code refused}, never sent.
 *
 * <p>
 * Concurrency: a consumer hands each record over and takes the next as soon as the courier has a place for it
 * ({@link InFlight}, {@code SMS_MAX_IN_FLIGHT}); the record is acknowledged when its outcome is stored, in whatever
 * order that happens (the throttled commit strategy commits only below the oldest unsettled record). One phone's
 * messages wait for each other ({@link PhoneQueue}), so they go out in event order. Each message runs on a Vert.x
 * context of its own (its own Hibernate Reactive session); provider calls block a thread of a pool as large as the
 * bound; each sender's rate is held under {@code SMS_SENDER_MPS} and a 429's {@code Retry-After} ({@link SenderLimits}).
 */
@ApplicationScoped
public class Courier {

    private static final Set<Channel> CHANNELS = Set.of(Channel.SMS, Channel.WHATSAPP);
    /** The buckets of phonekey.sms.handoff: 10 ms to 60 s, among them the 50 ms and 500 ms of the latency targets. */
    private static final Duration[] HANDOFF_BUCKETS = LongStream
            .of(10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);
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
    private final MessageStore store;
    private final OptOuts optOuts;
    private final InFlight inFlight;
    private final PhoneQueue phones = new PhoneQueue();
    private final SenderLimits limits;
    private final WorkerExecutor sending;
    private final MeterRegistry registry;
    private final DeliveryMeters meters;
    private final Map<String, Timer> queued = new ConcurrentHashMap<>();
    private final Map<String, Timer> handoff = new ConcurrentHashMap<>();
    private final Map<String, Counter> turns = new ConcurrentHashMap<>();
    /** The longest one provider request can take: its connect and answer timeouts. */
    private final Duration oneRequest;
    /** After a request that got no answer, how long the provider may take to list the message before a resend. */
    private final Duration listingGrace;

    public Courier(SmsConfig config, SmsProvider provider, CodeSeal seal, MessageText text,
            DeliveryPublisher deliveries, ObjectMapper mapper, Vertx vertx, Pricing pricing, SpendLedger ledger,
            OptOuts optOuts, MeterRegistry registry, DeliveryMeters meters, MessageStore store) {
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
        this.store = store;
        this.inFlight = new InFlight(config.maxInFlight());
        this.oneRequest = TwilioProvider.CONNECT_TIMEOUT.plus(config.twilio().timeout());
        this.listingGrace = config.twilio().timeout();
        this.limits = new SenderLimits(vertx.getDelegate(), config.senderMps());
        // Provider calls block (the Twilio SDK): one thread per message that may be in flight. Vert.x closes the pool
        // when it stops, after the connectors: closing it earlier would fail sends in flight (and dead-letter them).
        this.sending = vertx.createSharedWorkerExecutor("sms-provider", config.maxInFlight(), 2, TimeUnit.MINUTES);
        this.registry = registry;
        this.meters = meters;
        registry.gauge("phonekey.sms.in_flight", inFlight, InFlight::used);
    }

    /**
     * A graceful stop (SIGTERM: a rolling update, a scale-down) lets the messages in flight finish before the
     * connectors and the stores close: no record is admitted any more, and the stop waits, at most
     * {@code SMS_SHUTDOWN_DRAIN}, until every admitted one has its outcome stored and acknowledged. Without this a
     * message the provider had already taken but whose outcome was not yet stored stayed {@code queued}, and the next
     * owner of its partition sent it again after the claim lease. Observed first (priority 1), before the messaging
     * connectors' own shutdown.
     */
    void drainOnStop(@Observes @Priority(1) ShutdownEvent event) {
        inFlight.close();
        int left = inFlight.used();
        if (left == 0) {
            return;
        }
        Log.infof("stopping: waiting up to %s for %d message(s) in flight", config.shutdownDrain(), left);
        long start = System.nanoTime();
        long deadline = start + config.shutdownDrain().toNanos();
        while (inFlight.used() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        left = inFlight.used();
        if (left == 0) {
            Log.infof("stopping: every message in flight settled in %d ms", (System.nanoTime() - start) / 1_000_000);
        } else {
            Log.warnf("stopping with %d message(s) still in flight after %s: those not yet stored are sent again by the"
                    + " partition's next owner after the claim lease", left, config.shutdownDrain());
        }
    }

    /**
     * Completes as soon as the record is admitted (a place in flight is free), not when it is delivered: the record is
     * acknowledged (or dead-lettered) once its outcome is stored.
     */
    @Incoming("otp-requested")
    public Uni<Void> onRequested(Message<String> message) {
        Arrival received = Arrival.of(message);
        AtomicBoolean heldBack = new AtomicBoolean();
        return admit(message, context -> inbox.receive(message, EventType.OTP_REQUESTED, OtpRequested.class,
                (ceId, event) -> CHANNELS.contains(event.getChannel())
                        ? handle(ceId, codeJob(event), received, context, heldBack)
                        : Uni.createFrom().voidItem(),
                this::worthWaitingFor));
    }

    /**
     * Security notices by SMS, for the kinds in {@code SMS_NOTICE_KINDS}. They are not verification codes: a phone
     * that opted out (STOP) gets none. The text never carries a code, token or link.
     */
    @Incoming("security-notice")
    public Uni<Void> onNotice(Message<String> message) {
        Arrival received = Arrival.of(message);
        AtomicBoolean heldBack = new AtomicBoolean();
        return admit(message, context -> inbox.receive(message, EventType.SECURITY_NOTICE, SecurityNotice.class,
                (ceId, notice) -> config.noticeKinds().contains(notice.getKind().value())
                        ? handle(ceId, noticeJob(notice), received, context, heldBack)
                        : Uni.createFrom().voidItem(),
                this::worthWaitingFor));
    }

    /** The work of one record, given the Vert.x context it runs on; completes when the record is settled. */
    @FunctionalInterface
    private interface Work {
        Uni<Void> run(Context context);
    }

    /**
     * Takes a place in flight (waiting while there is none), queues the record behind its phone's earlier ones and
     * completes: the consumer goes on to its next record. Called by each consumer in its partitions' order.
     */
    private Uni<Void> admit(Message<String> message, Work work) {
        Context current = io.vertx.core.Vertx.currentContext();
        Context root = current != null
                ? VertxContext.getRootContext(current)
                : vertx.getDelegate().getOrCreateContext();
        String key = orderKey(message);
        // The record's trace (its traceparent, attached to the consumer's context by the connector's tracing), taken
        // along to the record's own context: its log lines and its otp.delivery records carry the request's trace id.
        io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current();
        return inFlight.acquire().invoke(() -> phones.submit(key, () -> onOwnContext(root, trace, work))
                .whenComplete((ok, failure) -> inFlight.release()));
    }

    /**
     * What orders records: the Kafka key, which PhoneKey's producers set to the phone (contract {@code Publisher}).
     * A record without one waits for nobody.
     */
    private static String orderKey(Message<String> message) {
        Object key = message.getMetadata(IncomingKafkaRecordMetadata.class).map(m -> m.getKey()).orElse(null);
        return key != null ? key.toString() : "unkeyed:" + UUID.randomUUID();
    }

    /**
     * Runs one record's work on a new duplicated context of the consumer's event loop, in the record's trace; never
     * fails.
     */
    private static CompletionStage<Void> onOwnContext(Context root, io.opentelemetry.context.Context trace,
            Work work) {
        Context context = VertxContext.createNewDuplicatedContext(root);
        VertxContextSafetyToggle.setContextSafe(context, true);
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            // Stored in this context (and its log MDC) for the record's whole life; the scope is never closed, as the
            // context ends with the record.
            @SuppressWarnings({"unused", "resource"})
            io.opentelemetry.context.Scope inTrace = trace.makeCurrent();
            try {
                work.run(context).subscribe().with(ok -> done.complete(null), failure -> {
                    Log.errorf(failure, "a record could not be settled");
                    done.complete(null);
                });
            } catch (RuntimeException e) {
                Log.errorf(e, "a record could not be handled");
                done.complete(null);
            }
        });
        return done;
    }

    /** Runs on the message's context: a retry's resubscription (from Mutiny's timer threads) comes back to it. */
    private static Executor on(Context context) {
        return task -> {
            if (io.vertx.core.Vertx.currentContext() == context) {
                task.run();
            } else {
                context.runOnContext(v -> task.run());
            }
        };
    }

    /**
     * What holds a record back instead of dead-lettering it: another consumer's claim, or a store or broker outage;
     * never a provider's answer (retried in {@link #dispatch}) nor a message already sent whose outcome was not stored.
     * While the process stops, every failure: the pools and clients it needs close under it (a graceful stop once
     * dead-lettered 61 records that way, 30 of them codes never sent), so the record is left unsettled for the next
     * owner of its partition, which sends it once (after the claim lease, asking the provider first).
     */
    private boolean worthWaitingFor(Throwable e) {
        return inFlight.closed() || e instanceof InFlightElsewhere
                || !(e instanceof SendFailure) && !(e instanceof SentButUnrecorded) && Failures.isOutage(e);
    }

    private Job codeJob(OtpRequested event) {
        return new Job(event.getVerificationId(), event.getPhone(), event.getChannel().value(),
                event.getPurpose().value(), event.getExpiresAt(), true, now -> {
                    String code = seal.open(event.getVerificationId(), event.getPhone(), event.getCode());
                    String body = text.render(event, code, now);
                    return new Job.Rendered(body, MessageText.redact(body, code), code);
                });
    }

    private Job noticeJob(SecurityNotice notice) {
        return new Job("notice:" + notice.getKind().value() + ":" + notice.getUserId(), notice.getPhone(), "sms",
                "notice_" + notice.getKind().value(), notice.getOccurredAt().plus(config.noticeLifetime()), false,
                now -> {
                    String body = text.renderNotice(notice);
                    return new Job.Rendered(body, body, null);
                });
    }

    /**
     * The sender's turn comes first (its rate ceiling may make a message wait), then the claim: so the time from the
     * claim to the provider call stays short whatever the rate, well within the claim lease.
     */
    private Uni<Void> handle(String ceId, Job job, Arrival received, Context context, AtomicBoolean heldBack) {
        String sender = provider.sender(new OutgoingSms(job.phone(), job.channel(), ""));
        // Inbox calls this again while another consumer holds the claim (a rebalance); heldBack, one per record, says
        // so, and such a retry looks at the row first, taking a turn of the sender's rate only if it may send. Before,
        // every retry took one: a backlog held back that way (up to 256 records retried for the claim lease) slowed
        // every other send of the sender.
        return Uni.createFrom().deferred(() -> heldBack.get()
                ? claimHeldBack(ceId, job, sender)
                : turn(sender).chain(() -> claim(ceId, job)))
                .onFailure(InFlightElsewhere.class).invoke(() -> heldBack.set(true))
                .flatMap(claimed -> claimed == null
                        ? Uni.createFrom().voidItem()
                        : claimed.row().status == DeliveryStatus.FAILED
                                ? reportAbandoned(claimed.row(), job)
                                : send(claimed.row(), claimed.ready(), job, received, context))
                .runSubscriptionOn(on(context));
    }

    /** A claimed row, and what was found out before its claim (null for a redelivery: found out again). */
    private record Claimed(SmsMessage row, Ready ready) {
    }

    /**
     * What a send knows before anything is claimed or booked: its draft (null when the code's life ran short: dropped,
     * never sent) and why it must not be sent (null when it may: a cost cap or an opt-out otherwise).
     */
    private record Ready(Draft draft, String refusal) {
        boolean sendable() {
            return draft != null && refusal == null;
        }

        Ready refused(String reason) {
            return new Ready(draft, reason);
        }
    }

    /** The checks before a send that need no claim: the code's remaining life, the text, the opt-out of a notice. */
    private Uni<Ready> prepare(Job job) {
        Instant now = Instant.now();
        if (Duration.between(now, job.expiresAt()).compareTo(config.minRemaining()) < 0) {
            // A backlog must not deliver dead codes, nor news that is no longer news.
            return Uni.createFrom().item(new Ready(null, null));
        }
        Job.Rendered text = job.render().apply(now);
        // A WhatsApp message is one message however long: Twilio reports it as one segment.
        Draft draft = new Draft(new OutgoingSms(job.phone(), job.channel(), text.body()), text.stored(),
                "whatsapp".equals(job.channel()) ? 1 : Segments.of(text.body()), text.mark());
        return optOuts.maySend(job.phone(), job.verificationCode())
                .map(allowed -> new Ready(draft, allowed ? null : "opted_out"));
    }

    /**
     * The claim, committed before anything leaves: a first delivery stores its row as queued with one send counted
     * and, when it is to be sent, books its estimated cost in the same statement (one round trip); a redelivery finds
     * the row and goes on only as {@link #claimAgain} allows. Two consumers inserting the same ce_id at once (a
     * rebalance): the second finds the first one's row, claimed within the lease.
     */
    private Uni<Claimed> claim(String ceId, Job job) {
        return prepare(job).flatMap(ready -> claim(ceId, job, ready));
    }

    private Uni<Claimed> claim(String ceId, Job job, Ready ready) {
        SmsMessage row = new SmsMessage();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
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
        // Null: claimed, and nothing more refuses it; else EXISTS or the cost cap that refuses it.
        Uni<String> refusal;
        if (ready.sendable()) {
            int segments = ready.draft().segments();
            refusal = store.claimNewBooking(row, SpendLedger.day(row.createdAt), SpendLedger.countryKey(row.country),
                    pricing.estimate(row.country, segments), segments, pricing.phoneCap(),
                    pricing.countryCap(row.country))
                    .map(outcome -> MessageStore.BOOKED.equals(outcome) ? null : outcome);
        } else {
            refusal = store.claimNew(row).map(inserted -> inserted ? null : MessageStore.EXISTS);
        }
        return refusal.flatMap(refused -> MessageStore.EXISTS.equals(refused)
                ? store.byCeId(ceId).flatMap(existing -> existing == null
                        ? Uni.createFrom().failure(new InFlightElsewhere())
                        : again(existing, job, ready))
                : Uni.createFrom().item(new Claimed(row, refused == null ? ready : ready.refused(refused))));
    }

    /** A row found claimed already, gone on with as {@link #claimAgain} allows; {@code ready} as found out (or null). */
    private Uni<Claimed> again(SmsMessage row, Job job, Ready ready) {
        return claimAgain(row, job).map(again -> again == null ? null : new Claimed(again, ready));
    }

    /**
     * A record held back by another consumer's claim, tried again: while that claim holds, or once the row is settled,
     * it needs no turn of the sender's rate ({@link #claimAgain} waits or announces the outcome); otherwise it claims
     * as a first try does.
     */
    private Uni<Claimed> claimHeldBack(String ceId, Job job, String sender) {
        return store.byCeId(ceId).flatMap(row -> row != null && (row.status != DeliveryStatus.QUEUED
                || claimedWithinLease(row))
                        ? again(row, job, null)
                        : turn(sender).chain(() -> claim(ceId, job)));
    }

    private boolean claimedWithinLease(SmsMessage row) {
        return row.updatedAt != null && row.updatedAt.isAfter(Instant.now().minus(config.claimLease()));
    }

    /**
     * A redelivery: only a row left queued by a crash mid-send is sent again, and only once. A settled row's outcome
     * is announced again: the record comes back because it was not acknowledged, and its outcome may have been stored
     * without its event going out (the broker down at that moment, or a crash in between). The event's id is derived
     * from the outcome, so consumers that had it drop the copy.
     */
    private Uni<SmsMessage> claimAgain(SmsMessage row, Job job) {
        if (row.status != DeliveryStatus.QUEUED) {
            Log.debugf("event for verification %s already handled (%s): nothing sent, outcome announced again",
                    row.verificationId, row.status);
            return report(job, row, row.status, row.reason).replaceWith((SmsMessage) null);
        }
        if (claimedWithinLease(row)) {
            // Queued and claimed within the lease: another consumer is sending it right now (a rebalance handed the
            // record to two of us), not a crash. Wait for its outcome instead of sending a second message.
            return Uni.createFrom().failure(new InFlightElsewhere());
        }
        if (row.sendCount >= MAX_SENDS) {
            return Panache.withTransaction(() -> SmsMessage.<SmsMessage>findById(row.id).flatMap(stored -> {
                if (stored == null || stored.status != DeliveryStatus.QUEUED || stored.sendCount != row.sendCount) {
                    return Uni.createFrom().failure(new InFlightElsewhere());
                }
                stored.status = DeliveryStatus.FAILED;
                stored.reason = "abandoned";
                stored.updatedAt = Instant.now();
                return ledger.release(stored).replaceWith(stored);
            }));
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // Only if nobody else claimed it since it was read: two consumers never both resend it.
        return store.reclaim(row, now).flatMap(claimed -> {
            if (!claimed) {
                return Uni.createFrom().failure(new InFlightElsewhere());
            }
            row.sendCount++;
            row.updatedAt = now;
            return Uni.createFrom().item(row);
        });
    }

    /** Two interrupted sends: give up on this message, and say so on otp.delivery rather than go quiet. */
    private Uni<Void> reportAbandoned(SmsMessage row, Job job) {
        Log.warnf("message to %s abandoned after %d interrupted sends", row.phoneMasked, row.sendCount);
        return report(job, row, row.status, row.reason).invoke(() -> meters.abandoned(row));
    }

    /**
     * A claimed message: dropped when its code's life ran short, refused for a cost cap or an opt-out, else sent. A
     * first delivery knows all that from its claim ({@code known}); a redelivery finds it out again now.
     */
    private Uni<Void> send(SmsMessage row, Ready known, Job job, Arrival received, Context context) {
        return (known != null ? Uni.createFrom().item(known) : prepare(job)).flatMap(ready -> {
            Draft draft = ready.draft();
            if (draft == null) {
                return finish(row, DeliveryStatus.DROPPED, null, "expired", null, null, job);
            }
            if (ready.refusal() != null) {
                return refuse(row, ready.refusal(), draft, job);
            }
            return reserve(row, draft.segments()).flatMap(refusal -> refusal == null
                    ? dispatch(row, draft, job, received, context)
                    : refuse(row, refusal, draft, job));
        });
    }

    /**
     * The check step: books the message's estimated cost against its phone's and its country's spend of the day, in
     * one transaction. Completes with the cap that refuses it ({@code cost_cap_phone} or {@code cost_cap_country}),
     * or null when it may go out. A row that already holds a reservation (booked with its claim, or a resend after a
     * crash) books nothing more.
     */
    private Uni<String> reserve(SmsMessage row, int segments) {
        if (row.costEstimate != null) {
            return Uni.createFrom().nullItem();
        }
        BigDecimal estimate = pricing.estimate(row.country, segments);
        return store.reserve(row.id, SpendLedger.day(row.createdAt), row.phone, SpendLedger.countryKey(row.country),
                estimate, segments, pricing.phoneCap(), pricing.countryCap(row.country))
                .invoke(refusal -> {
                    if (refusal == null) {
                        row.segments = segments;
                        row.costEstimate = estimate;
                    }
                });
    }

    /** Not sent, for a reason recorded on the row: a cost cap, or an opt-out for a message that is not a code. */
    private Uni<Void> refuse(SmsMessage row, String reason, Draft draft, Job job) {
        Log.warnf("message to %s refused, not sent: %s (estimate %s USD)", PhoneMask.mask(job.phone()), reason,
                pricing.estimate(row.country, draft.segments()));
        return finish(row, DeliveryStatus.REFUSED, null, reason, null, draft, job);
    }

    private Uni<Void> dispatch(SmsMessage row, Draft draft, Job job, Arrival received, Context context) {
        Instant deadline = sendingDeadline(row, job);
        return alreadyAccepted(row, draft)
                .flatMap(found -> found != null
                        ? Uni.createFrom().item(found)
                        : attempt(row, job, draft, new Tries(0, 0, Instant.now(), null, false), deadline, received))
                .flatMap(result -> Uni.createFrom()
                        .deferred(() -> finish(row, DeliveryStatus.SENT, result, null, null, draft, job))
                        .runSubscriptionOn(on(context))
                        // The message is out: retry only the recording, never the send.
                        .onFailure(Failures::isOutage).retry()
                        .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                        .expireIn(Inbox.OUTAGE_PATIENCE.toMillis())
                        .onFailure().transform(SentButUnrecorded::new))
                .onFailure(SendFailure.class).recoverWithUni(e -> {
                    SendFailure f = (SendFailure) e;
                    Log.warnf("sending to %s failed: %s", PhoneMask.mask(job.phone()), f.getMessage());
                    Uni<Void> reported = finish(row, DeliveryStatus.FAILED, null,
                            f.retryable() ? "provider_unavailable" : "provider_rejected", f.errorCode(), draft, job);
                    // A permanent refusal is an outcome; exhausted retries also send the event to the DLQ.
                    return f.retryable() ? reported.chain(() -> Uni.createFrom().failure(f)) : reported;
                });
    }

    /**
     * A resend after a crash (the row's second send) first asks the provider whether the interrupted send reached it:
     * the process may have died after the provider took the message and before its outcome was stored. If it did, that
     * message is the outcome and nothing is sent again; if the provider cannot say, the message is sent (a code that
     * arrives twice is better than none).
     */
    private Uni<SendResult> alreadyAccepted(SmsMessage row, Draft draft) {
        if (row.sendCount < 2 || draft.mark() == null) {
            return Uni.createFrom().nullItem();
        }
        return sending.executeBlocking(Uni.createFrom()
                .item(() -> provider.alreadyAccepted(draft.sms(), draft.mark(), row.createdAt).orElse(null)), false)
                .invoke(found -> {
                    if (found != null) {
                        Log.infof(
                                "message to %s was taken by the provider before the interruption (%s): not sent again",
                                row.phoneMasked, found.providerMessageId());
                        meters.recovered(row);
                    }
                })
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("could not ask the provider whether the message to %s was taken before the interruption"
                            + " (%s): sending it", row.phoneMasked, e.getMessage());
                    return null;
                });
    }

    /**
     * The attempts so far: all of them, and those that failed other than by a 429 (they count against max-tries);
     * when the first began (the provider patience counts from it); when one of them went out and its answer never
     * came (null if none did), so that the provider may hold the message already; whether the look after that one has
     * already waited for the provider to list it (once per unanswered request).
     */
    private record Tries(int attempts, int failures, Instant since, Instant unsureAt, boolean lookedAgain) {
        boolean unsure() {
            return unsureAt != null;
        }
    }

    /**
     * The provider has not listed a message whose request went out without an answer, and it is too early to take that
     * for "never created": a provider slow to answer may be as slow to create. The next look is after {@link #wait}.
     */
    private static final class NotListedYet extends RuntimeException {
        final Duration wait;

        NotListedYet(Duration wait) {
            super(null, null, false, false);
            this.wait = wait;
        }
    }

    /**
     * The last moment a try may start: the claim must still hold when its answer comes (else a rebalance could hand
     * the record to a consumer that sends it again), and a code must still be worth sending.
     */
    private Instant sendingDeadline(SmsMessage row, Job job) {
        Instant claimed = row.updatedAt != null ? row.updatedAt : Instant.now();
        Duration lease = config.claimLease();
        Duration usable = lease.minus(oneRequest).compareTo(lease.dividedBy(2)) > 0
                ? lease.minus(oneRequest)
                : lease.dividedBy(2);
        Instant leaseEnd = claimed.plus(usable);
        Instant worthIt = job.expiresAt().minus(config.minRemaining());
        return leaseEnd.isBefore(worthIt) ? leaseEnd : worthIt;
    }

    /**
     * One try: the provider call on a provider thread (its answer comes back on the message's context); a try after
     * the first takes the sender's turn under its rate again. Transport errors and 5xx are tried again after
     * exponential backoff with jitter, up to {@code max-tries} quick tries; a 429 pauses the sender for its
     * {@code Retry-After} (or the backoff when it has none) and is tried again without counting against them. Nothing
     * is tried after the deadline. When the quick tries ran out the provider is taken to be down and the message waits
     * it out ({@link #waitOut}). A try after one that went out without an answer (a read timeout: the provider may be
     * slow, not down) first asks the provider whether it took the message, and sends nothing if it did; if the
     * provider does not list it yet, it renews its claim and looks again one answer timeout ({@code TWILIO_TIMEOUT})
     * after the unanswered request gave up, and sends only if the message is still not there (a provider slow to
     * answer may be as slow to create).
     */
    private Uni<SendResult> attempt(SmsMessage row, Job job, Draft draft, Tries tries, Instant deadline,
            Arrival received) {
        OutgoingSms sms = draft.sms();
        String sender = provider.sender(sms);
        Uni<Void> turn = tries.attempts() == 0 ? Uni.createFrom().voidItem() : turn(sender);
        return turn
                .chain(() -> {
                    if (tries.attempts() == 0) {
                        long now = System.nanoTime();
                        queued(sms.channel()).record(now - received.at(), TimeUnit.NANOSECONDS);
                        handoff(sms.channel()).record(Math.max(0, now - received.stored()), TimeUnit.NANOSECONDS);
                    } else if (Instant.now().isAfter(deadline)) {
                        return Uni.createFrom().failure(new SendFailure(
                                "no try left before the claim or the code runs out", true, null, null));
                    }
                    return sending.executeBlocking(Uni.createFrom().item(() -> {
                        if (tries.unsure() && draft.mark() != null) {
                            Optional<SendResult> taken = provider.alreadyAccepted(sms, draft.mark(), row.createdAt);
                            if (taken.isPresent()) {
                                Log.infof("message to %s was taken by the provider although its answer never came"
                                        + " (%s): not sent again", row.phoneMasked, taken.get().providerMessageId());
                                meters.recovered(row);
                                return taken.get();
                            }
                            // Not listed yet is only "never created" once the provider had one more answer timeout
                            // to create it; before that a resend could be the second copy of a slow create.
                            Instant listedBy = tries.unsureAt().plus(listingGrace);
                            Instant now = Instant.now();
                            if (!tries.lookedAgain() && now.isBefore(listedBy)) {
                                throw new NotListedYet(Duration.between(now, listedBy));
                            }
                        }
                        return provider.dispatch(sms);
                    }), false);
                })
                .onFailure(SendFailure.class).recoverWithUni(e -> {
                    SendFailure f = (SendFailure) e;
                    Tries next = new Tries(tries.attempts() + 1, tries.failures() + (f.throttled() ? 0 : 1),
                            tries.since(), f.unsure() ? Instant.now() : tries.unsureAt(),
                            !f.unsure() && tries.lookedAgain());
                    if (!f.retryable()) {
                        return Uni.createFrom().failure(f);
                    }
                    if (!f.throttled() && next.failures() >= config.maxTries()) {
                        return waitOut(row, job, draft, next, f, received);
                    }
                    Duration wait = backoff(f.throttled() ? next.attempts() : next.failures());
                    if (f.retryAfter() != null) {
                        wait = f.retryAfter().compareTo(wait) > 0 ? f.retryAfter() : wait;
                        limits.pause(sender, f.retryAfter());
                    }
                    if (Instant.now().plus(wait).isAfter(deadline)) {
                        Log.warnf("sending to %s: no try left before the claim or the code runs out",
                                PhoneMask.mask(sms.to()));
                        return Uni.createFrom().failure(f);
                    }
                    return after(wait).chain(() -> attempt(row, job, draft, next, deadline, received));
                })
                // After the handler above, so that a failure of the look again is not taken for one more failed try.
                .onFailure(NotListedYet.class).recoverWithUni(e -> {
                    Duration wait = ((NotListedYet) e).wait;
                    Instant last = lastTry(job, tries);
                    if (Instant.now().plus(wait).isAfter(last)) {
                        return Uni.createFrom().failure(new SendFailure("the provider neither answered nor listed the"
                                + " message while the code was worth sending: not sent again", true, null, null));
                    }
                    Log.infof("message to %s: its request got no answer and the provider does not list it yet:"
                            + " looking again in %d ms before sending", row.phoneMasked, wait.toMillis());
                    Tries next = new Tries(tries.attempts() + 1, tries.failures(), tries.since(), tries.unsureAt(),
                            true);
                    // The wait would spend the claim's lease: renewed first, so that it cannot run out during the
                    // wait, nor before the answers of the look and the send after it (two requests) come.
                    return renewed(row).chain(() -> after(wait)).chain(() -> {
                        Instant leased = sendingDeadline(row, job);
                        return attempt(row, job, draft, next, last.isBefore(leased) ? last : leased, received);
                    });
                });
    }

    /**
     * The provider failed every quick try: it is down (5xx, unreachable). The message keeps its place and tries again
     * every eight times the backoff, for up to {@code SMS_PROVIDER_PATIENCE} since its first try and while its code is
     * worth sending, so an outage delays codes instead of failing them. Before each try it renews its claim, so the
     * lease never runs out under it (a rebalance would otherwise hand the record to a consumer that sends it too); a
     * claim someone else took meanwhile ends this consumer's work on it.
     */
    private Uni<SendResult> waitOut(SmsMessage row, Job job, Draft draft, Tries tries, SendFailure f,
            Arrival received) {
        OutgoingSms sms = draft.sms();
        Duration wait = backoff(Integer.MAX_VALUE);
        Instant last = lastTry(job, tries);
        if (Instant.now().plus(wait).isAfter(last)) {
            Log.warnf("sending to %s: the provider is still unavailable after %d tries: giving up",
                    PhoneMask.mask(sms.to()), tries.attempts());
            return Uni.createFrom().failure(f);
        }
        if (tries.failures() == config.maxTries()) {
            Log.warnf("sending to %s: the provider is unavailable (%s): waiting it out, a try every %d s",
                    PhoneMask.mask(sms.to()), f.getMessage(), wait.toSeconds());
        }
        return after(wait).chain(() -> renewed(row)).chain(() -> {
            Instant deadline = sendingDeadline(row, job);
            return attempt(row, job, draft, tries, last.isBefore(deadline) ? last : deadline, received);
        });
    }

    /** The last moment any try may start, renewed claims or not: the code worth sending, the provider's patience. */
    private Instant lastTry(Job job, Tries tries) {
        Instant worthIt = job.expiresAt().minus(config.minRemaining());
        Instant patience = tries.since().plus(config.providerPatience());
        return worthIt.isBefore(patience) ? worthIt : patience;
    }

    /**
     * Renews the claim of a message this consumer keeps working on (its lease starts again now); fails with
     * {@link InFlightElsewhere} when someone else claimed it meanwhile, which ends this consumer's work on it.
     */
    private Uni<Void> renewed(SmsMessage row) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return store.renew(row, now).flatMap(renewed -> {
            if (!renewed) {
                return Uni.createFrom().<Void>failure(new InFlightElsewhere());
            }
            row.updatedAt = now;
            return Uni.createFrom().voidItem();
        });
    }

    /** Completes after {@code wait}, on a Vert.x timer. */
    private Uni<Void> after(Duration wait) {
        long millis = Math.max(1, wait.toMillis());
        return Uni.createFrom().emitter(done -> vertx.setTimer(millis, id -> done.complete(null)));
    }

    /** The wait before try n + 1 (n >= 1): SMS retry-backoff doubled per try, at most eight times it, jitter 30 %. */
    private Duration backoff(int n) {
        long base = config.retryBackoff().toMillis();
        long exp = Math.min(base * 8, base << Math.min(Math.max(0, n - 1), 20));
        double jitter = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * 0.3;
        return Duration.ofMillis(Math.max(1, Math.round(exp * jitter)));
    }

    /** One turn of the sender's rate ceiling, counted: what the rate is spent on shows in the metrics. */
    private Uni<Void> turn(String sender) {
        turns.computeIfAbsent(sender, x -> Counter.builder("phonekey.sms.sender.turns")
                .description("Turns of the sender's messages-per-second ceiling taken (SMS_SENDER_MPS): one per send")
                .tag("sender", x).register(registry)).increment();
        return limits.acquire(sender);
    }

    /**
     * When a record reached the courier, and when the broker stored it (its append time, as a {@link System#nanoTime}
     * instant): about when otp-service answered its 201.
     */
    record Arrival(long at, long stored) {
        static Arrival of(Message<?> message) {
            long at = System.nanoTime();
            long wall = System.currentTimeMillis();
            return message.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> m.getTimestamp())
                    .filter(t -> t != null && t.toEpochMilli() > 0)
                    .map(t -> new Arrival(at, at - TimeUnit.MILLISECONDS.toNanos(wall - t.toEpochMilli())))
                    .orElse(new Arrival(at, at));
        }
    }

    /**
     * From the broker storing a record to its message's first provider call: how late a code leaves after its 201.
     * Fixed buckets ({@link #HANDOFF_BUCKETS}), so that the share of messages within a bound, and p50 and p99, can be
     * read off two scrapes (deploy/local/bench/handoff).
     */
    private Timer handoff(String channel) {
        return handoff.computeIfAbsent(channel, c -> Timer.builder("phonekey.sms.handoff")
                .description("From the broker storing a record (about the 201 that created it) to its message's first"
                        + " provider call")
                .serviceLevelObjectives(HANDOFF_BUCKETS).tag("channel", c).register(registry));
    }

    /** Time from the record reaching the courier to the provider call: places in flight, the phone, the rate. */
    private Timer queued(String channel) {
        return queued.computeIfAbsent(channel, c -> Timer.builder("phonekey.sms.queued")
                .description("From a record reaching the courier to its message's first provider call")
                .tag("channel", c).register(registry));
    }

    /**
     * Stores the outcome and publishes it. A message that ends failed gives back what it had reserved and a price the
     * provider reported replaces the estimate in the day's spend, both in one transaction with the row; any other
     * outcome is one statement.
     */
    private Uni<Void> finish(SmsMessage row, DeliveryStatus status, SendResult result, String reason,
            String errorCode, Draft draft, Job job) {
        Instant now = Instant.now();
        if (status != DeliveryStatus.FAILED && (result == null || result.price() == null)) {
            Integer segments = result != null && result.segments() != null
                    ? result.segments()
                    : draft == null ? null : Integer.valueOf(draft.segments());
            String providerId = result == null ? null : result.providerMessageId();
            return store.outcome(row.id, status, reason, errorCode, draft == null ? null : draft.redacted(), segments,
                    providerId, now).flatMap(x -> {
                        row.status = status;
                        row.reason = reason;
                        row.errorCode = errorCode;
                        row.providerMessageId = providerId != null ? providerId : row.providerMessageId;
                        row.segments = segments != null ? segments : row.segments;
                        return report(job, row, status, reason);
                    }).invoke(() -> meters.settled(row, status, reason));
        }
        return Panache.withTransaction(() -> SmsMessage.<SmsMessage>findById(row.id).call(stored -> {
            stored.status = status;
            stored.reason = reason;
            stored.errorCode = errorCode;
            stored.bodyRedacted = draft == null ? null : draft.redacted();
            stored.segments = draft == null ? stored.segments : Integer.valueOf(draft.segments());
            stored.updatedAt = now;
            if (status == DeliveryStatus.FAILED) {
                return ledger.release(stored);
            }
            stored.sentAt = now;
            stored.providerMessageId = result.providerMessageId();
            stored.segments = result.segments() == null ? stored.segments : result.segments();
            return ledger.priced(stored, result.price(), result.priceUnit());
        })).flatMap(stored -> report(job, stored, status, reason).invoke(() -> meters.settled(stored, status, reason)));
    }

    /**
     * Logs the outcome (in the record's trace). A code's outcome goes out on otp.delivery, whose consumers follow
     * verifications; a notice's stays in the message log (the admin API shows it) and the log line.
     */
    private Uni<Void> report(Job job, SmsMessage row, DeliveryStatus status, String reason) {
        String why = reason == null ? "" : " (" + reason + ")";
        if (!job.verificationCode()) {
            Log.infof("notice %s to %s: %s%s", job.purpose(), row.phoneMasked, status, why);
            return Uni.createFrom().voidItem();
        }
        Log.infof("code %s of verification %s to %s: %s%s", job.purpose(), job.reference(), row.phoneMasked, status,
                why);
        return deliveries.publish(new OtpDeliveryStatus().withVerificationId(job.reference()).withPhone(job.phone())
                .withChannel(DeliveryChannel.fromValue(job.channel())).withStatus(status)
                .withProvider(provider.id()).withProviderMessageId(row.providerMessageId).withReason(reason)
                .withErrorCode(row.errorCode).withAttempts((long) row.sendCount).withOccurredAt(Instant.now()));
    }

    /** The message as rendered: what goes out, the text as stored (code redacted) and its segments. */
    private record Draft(OutgoingSms sms, String redacted, int segments, String mark) {
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
