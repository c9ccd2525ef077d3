package io.phonekey.telegram.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pengrad.telegrambot.request.SendMessage;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonekey.contract.crypto.CodeSeal;
import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.DeliveryChannel;
import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.FallbackFrom;
import io.phonekey.contract.event.OtpDeliveryStatus;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.Purpose;
import io.phonekey.contract.messaging.Inbox;
import io.phonekey.contract.messaging.Publisher;
import io.phonekey.contract.text.PhoneMask;
import io.phonekey.telegram.bot.BotClient;
import io.phonekey.telegram.bot.Texts;
import io.phonekey.telegram.config.TelegramConfig;
import io.phonekey.telegram.event.GatewayEvents;
import io.phonekey.telegram.gateway.GatewayApi;
import io.phonekey.telegram.gateway.Revocations;
import io.phonekey.telegram.repository.Chats;
import io.phonekey.telegram.repository.Updates;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivers {@code otp.requested} events of channels {@code telegram} and {@code auto}. {@code auto} is a cascade,
 * cheapest first: the phone's bot chat (free), then the Telegram Gateway API (paid, when TELEGRAM_GATEWAY_TOKEN is
 * set; refunded by Telegram when not delivered), then SMS: a new {@code otp.requested} for channel sms with
 * {@code fallback_from: telegram}, the same sealed code, and an id derived from the original's, so a redelivery
 * cannot cause a second SMS. Every step is reported on {@code otp.delivery}. Events are de-duplicated on their
 * {@code ce_id}; a code past its expiry is not sent. It also notes every {@code link_telegram} code, whatever its
 * channel, so a code typed into the chat can be checked.
 */
@ApplicationScoped
public class TelegramDelivery {

    /** Less life than this left, and a code is not worth sending. */
    static final Duration MIN_REMAINING = Duration.ofSeconds(5);

    private final TelegramConfig config;
    private final GatewayEvents events;
    private final ObjectMapper mapper;
    private final Inbox inbox;
    private final Pool pool;
    private final Chats chats;
    private final Updates updates;
    private final BotClient bot;
    private final Texts texts;
    private final CodeSeal seal;
    private final GatewayApi gateway;
    private final MeterRegistry metrics;
    private final Revocations revocations;

    public TelegramDelivery(TelegramConfig config, GatewayEvents events, ObjectMapper mapper, Pool pool, Chats chats,
            Updates updates, BotClient bot, Texts texts, CodeSeal seal, GatewayApi gateway, MeterRegistry metrics,
            Revocations revocations) {
        this.revocations = revocations;
        this.config = config;
        this.events = events;
        this.mapper = mapper;
        this.inbox = new Inbox(mapper);
        this.pool = pool;
        this.chats = chats;
        this.updates = updates;
        this.bot = bot;
        this.texts = texts;
        this.seal = seal;
        this.gateway = gateway;
        this.metrics = metrics;
    }

    @Incoming("otp-requested")
    public Uni<Void> onRequested(Message<String> message) {
        return inbox.receive(message, EventType.OTP_REQUESTED, OtpRequested.class, this::handle);
    }

    Uni<Void> handle(String ceId, OtpRequested event) {
        // A newer code replaced a pending one (any channel): a Gateway message of the old code is withdrawn.
        Uni<Void> replaced = event.getReplaces() != null && event.getFallbackFrom() == null
                ? revocations.revoke(event.getReplaces())
                : Uni.createFrom().voidItem();
        Uni<Void> noted = event.getPurpose() == Purpose.LINK_TELEGRAM
                ? replaced.chain(() -> updates.pendingLink(event.getVerificationId(), event.getPhone(),
                        event.getExpiresAt().atOffset(ZoneOffset.UTC)))
                : replaced;
        if (event.getChannel() != Channel.TELEGRAM && event.getChannel() != Channel.AUTO) {
            return noted;
        }
        return noted.chain(() -> firstTime(ceId)).chain(first -> first
                ? deliver(ceId, event)
                : Uni.createFrom().voidItem());
    }

    private Uni<Boolean> firstTime(String ceId) {
        return pool.preparedQuery("SELECT 1 FROM processed_event WHERE ce_id = $1").execute(Tuple.of(ceId))
                .map(rows -> !rows.iterator().hasNext());
    }

    private Uni<Void> done(String ceId) {
        return pool.preparedQuery("INSERT INTO processed_event (ce_id, processed_at) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(ceId, OffsetDateTime.now(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /**
     * A first delivery, or the redelivery of an event whose code already went out (its outcome stored, its report not
     * published: the broker was down, the handling failed after the send): then the stored outcome is announced again,
     * under the same derived id, and nothing is sent twice.
     */
    private Uni<Void> deliver(String ceId, OtpRequested event) {
        return handedOver(ceId).chain(step -> step == null
                ? firstDelivery(ceId, event)
                : report(ceId, step.step(), event, DeliveryStatus.SENT,
                        "bot".equals(step.step()) ? "telegram_bot" : "telegram_gateway", null, step.cost())
                        .invoke(() -> Log.infof("verification %s: its code went out before (%s), outcome announced"
                                + " again, nothing sent", event.getVerificationId(), step.step()))
                        .chain(() -> done(ceId)));
    }

    /** A step that handed this event's code over (to the bot or the Gateway API), or null. */
    private record HandedOver(String step, BigDecimal cost) {
    }

    private Uni<HandedOver> handedOver(String ceId) {
        return pool.preparedQuery("""
                SELECT step, NULL::numeric AS cost FROM delivery_step WHERE ce_id = $1
                UNION ALL SELECT 'gateway', cost FROM gateway_request WHERE ce_id = $1 LIMIT 1""")
                .execute(Tuple.of(ceId)).map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    var row = it.next();
                    return new HandedOver(row.getString("step"), row.getBigDecimal("cost"));
                });
    }

    private Uni<Void> handedToBot(String ceId) {
        return pool.preparedQuery("INSERT INTO delivery_step (ce_id, step, sent_at) VALUES ($1, 'bot', $2) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(ceId, OffsetDateTime.now(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    private Uni<Void> firstDelivery(String ceId, OtpRequested event) {
        if (Duration.between(Instant.now(), event.getExpiresAt()).compareTo(MIN_REMAINING) < 0) {
            return report(ceId, "expired", event, DeliveryStatus.DROPPED, "telegram_bot", "expired", null)
                    .chain(() -> done(ceId));
        }
        return chats.byPhone(pool, event.getPhone()).chain(chat -> {
            if (!bot.enabled()) {
                return failedThenNext(ceId, event, "bot_off");
            }
            if (chat == null) {
                return failedThenNext(ceId, event, "no_chat");
            }
            if (chat.blocked()) {
                return failedThenNext(ceId, event, "bot_blocked");
            }
            String code = seal.open(event.getVerificationId(), event.getPhone(), event.getCode());
            // Rounded up: a code that lives 9 min 59 s is announced as valid for 10 minutes, as its SMS says.
            long minutes = Math.max(1, (Duration.between(Instant.now(), event.getExpiresAt()).toSeconds() + 59) / 60);
            String text = texts.get(chat.language(), "code", "code", code, "minutes", minutes);
            return bot.send(chat.chatId(), new SendMessage(chat.chatId(), text).protectContent(true))
                    .chain(sent -> handedToBot(ceId))
                    .chain(() -> report(ceId, "bot", event, DeliveryStatus.SENT, "telegram_bot", null, null))
                    .invoke(() -> {
                        metrics.counter("phonekey_telegram_deliveries", "step", "bot", "outcome", "sent").increment();
                        Log.infof("code of verification %s sent to the chat of %s", event.getVerificationId(),
                                PhoneMask.mask(event.getPhone()));
                    })
                    .chain(() -> done(ceId))
                    .onFailure(BotClient.CallFailed.class).recoverWithUni(e -> {
                        BotClient.CallFailed f = (BotClient.CallFailed) e;
                        Log.warnf("code to chat of %s not delivered: %d %s", PhoneMask.mask(event.getPhone()),
                                f.errorCode(), f.getMessage());
                        Uni<Void> mark = f.blocked() ? chats.blocked(chat.chatId()) : Uni.createFrom().voidItem();
                        return mark.chain(() -> failedThenNext(ceId, event,
                                f.blocked() ? "bot_blocked" : "provider_error"));
                    });
        });
    }

    /** The bot step could not deliver: say so, then the Gateway API or SMS for {@code auto}. */
    private Uni<Void> failedThenNext(String ceId, OtpRequested event, String reason) {
        metrics.counter("phonekey_telegram_deliveries", "step", "bot", "outcome", reason).increment();
        Uni<Void> reported = report(ceId, "bot", event, DeliveryStatus.FAILED, "telegram_bot", reason, null);
        if (event.getChannel() != Channel.AUTO) {
            return reported.chain(() -> done(ceId));
        }
        return reported.chain(() -> gateway.enabled() ? viaGateway(ceId, event) : toSms(ceId, event, reason))
                .chain(() -> done(ceId));
    }

    private Uni<Void> viaGateway(String ceId, OtpRequested event) {
        String code = seal.open(event.getVerificationId(), event.getPhone(), event.getCode());
        long ttl = Duration.between(Instant.now(), event.getExpiresAt()).toSeconds();
        String callback = config.publicBaseUrl() + "/telegram/gateway/report";
        return gateway.sendVerificationMessage(event.getPhone(), code, ttl, callback, event.getVerificationId())
                .onFailure().recoverWithItem(e -> new GatewayApi.Answer(null, "UNREACHABLE"))
                .chain(answer -> {
                    if (!answer.ok()) {
                        Log.infof("Gateway API cannot deliver to %s: %s", PhoneMask.mask(event.getPhone()),
                                answer.error());
                        metrics.counter("phonekey_telegram_deliveries", "step", "gateway", "outcome", "refused")
                                .increment();
                        return report(ceId, "gateway", event, DeliveryStatus.FAILED, "telegram_gateway",
                                "gateway_" + answer.error().toLowerCase(java.util.Locale.ROOT), null)
                                .chain(() -> toSms(ceId, event, "gateway_refused"));
                    }
                    String requestId = answer.result().path("request_id").asText();
                    BigDecimal cost = answer.result().has("request_cost")
                            ? answer.result().get("request_cost").decimalValue()
                            : null;
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    String json;
                    try {
                        json = mapper.writeValueAsString(event);
                    } catch (Exception e) {
                        return Uni.createFrom().failure(e);
                    }
                    metrics.counter("phonekey_telegram_deliveries", "step", "gateway", "outcome", "sent").increment();
                    return pool.preparedQuery("""
                            INSERT INTO gateway_request (request_id, verification_id, ce_id, phone, event, status, cost,
                                                         fallback_at, created_at, updated_at)
                            VALUES ($1, $2, $3, $4, $5, 'sent', $6, $7, $8, $8) ON CONFLICT DO NOTHING
                            """).execute(Tuple.tuple().addString(requestId).addString(event.getVerificationId())
                            .addString(ceId).addString(event.getPhone()).addString(json).addValue(cost)
                            .addOffsetDateTime(now.plus(config.gateway().fallbackAfter())).addOffsetDateTime(now))
                            .chain(() -> report(ceId, "gateway", event, DeliveryStatus.SENT, "telegram_gateway", null,
                                    cost));
                });
    }

    /** The last step: the same sealed code, as a new event for sms-dispatcher. */
    public Uni<Void> toSms(String ceId, OtpRequested event, String why) {
        OtpRequested fallback = mapper.convertValue(event, OtpRequested.class).withChannel(Channel.SMS)
                .withFallbackFrom(FallbackFrom.TELEGRAM);
        Log.infof("verification %s: telegram step failed (%s), falling back to SMS", event.getVerificationId(), why);
        metrics.counter("phonekey_telegram_fallbacks", "reason", why).increment();
        return events.requested(Publisher.derivedId("fallback", ceId), fallback);
    }

    /** One step's outcome on otp.delivery; its id is derived from the event and step, so a replay is a duplicate. */
    public Uni<Void> report(String ceId, String step, OtpRequested event, DeliveryStatus status, String provider,
            String reason, BigDecimal cost) {
        OtpDeliveryStatus report = new OtpDeliveryStatus().withVerificationId(event.getVerificationId())
                .withPhone(event.getPhone()).withChannel(DeliveryChannel.TELEGRAM).withStatus(status)
                .withProvider(provider).withReason(reason).withOccurredAt(Instant.now())
                .withCost(cost == null ? null : cost.doubleValue()).withCostUnit(cost == null ? null : "USD");
        return events.delivery(Publisher.derivedId("delivery:" + step + ":" + status.value(), ceId), report);
    }
}
