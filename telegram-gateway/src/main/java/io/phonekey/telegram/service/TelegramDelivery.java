package io.phonekey.telegram.service;

import java.time.Instant;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.Channel;
import io.phonekey.contract.event.DeliveryChannel;
import io.phonekey.contract.event.DeliveryStatus;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.FallbackFrom;
import io.phonekey.contract.event.OtpDeliveryStatus;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.messaging.Inbox;
import io.phonekey.contract.messaging.Publisher;
import io.phonekey.telegram.config.TelegramConfig;
import io.phonekey.telegram.event.GatewayEvents;
import io.phonekey.telegram.repository.ProcessedEvent;
import io.phonekey.telegram.repository.TelegramChat;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Takes {@code otp.requested} events of channels telegram and auto. Sending into a chat needs the bot, which is not
 * built yet: today every such event is reported on {@code otp.delivery} as failed (bot off or no chat), and an
 * {@code auto} event falls back to SMS as a new {@code otp.requested} with {@code fallback_from: telegram} and the same
 * sealed code. The fallback's ce_id is derived from the original's, so a redelivery can never cause a second SMS.
 */
@ApplicationScoped
public class TelegramDelivery {

    private static final Set<Channel> CHANNELS = Set.of(Channel.TELEGRAM, Channel.AUTO);

    private final TelegramConfig config;
    private final GatewayEvents events;
    private final ObjectMapper mapper;
    private final Inbox inbox;

    public TelegramDelivery(TelegramConfig config, GatewayEvents events, ObjectMapper mapper) {
        this.config = config;
        this.events = events;
        this.mapper = mapper;
        this.inbox = new Inbox(mapper);
    }

    @Incoming("otp-requested")
    public Uni<Void> onRequested(Message<String> message) {
        return inbox.receive(message, EventType.OTP_REQUESTED, OtpRequested.class,
                (ceId, event) -> CHANNELS.contains(event.getChannel())
                        ? handle(ceId, event)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> handle(String ceId, OtpRequested event) {
        return Panache.withSession(() -> ProcessedEvent.<ProcessedEvent>findById(ceId)
                .flatMap(done -> done != null
                        ? Uni.createFrom().<String>nullItem()
                        : TelegramChat.findByPhone(event.getPhone()).map(this::reason)))
                .flatMap(reason -> reason == null
                        ? Uni.createFrom().voidItem()
                        : undeliverable(ceId, event, reason).chain(() -> markProcessed(ceId)));
    }

    /** Why this event cannot go to a chat: the bot is off, the phone has no chat, or chat sending is not built. */
    private String reason(TelegramChat chat) {
        if (!config.botEnabled()) {
            return "bot_off";
        }
        return chat == null || chat.blocked ? "no_chat" : "telegram_send_unavailable";
    }

    private Uni<Void> markProcessed(String ceId) {
        return Panache.withTransaction(() -> ProcessedEvent.<ProcessedEvent>findById(ceId).flatMap(done -> {
            if (done != null) {
                return Uni.createFrom().voidItem();
            }
            ProcessedEvent row = new ProcessedEvent();
            row.ceId = ceId;
            row.processedAt = Instant.now();
            return row.persist().replaceWithVoid();
        }));
    }

    /** Reports the failure and, for {@code auto}, hands the code to the SMS courier. Publishes before recording. */
    private Uni<Void> undeliverable(String ceId, OtpRequested event, String reason) {
        OtpDeliveryStatus failed = new OtpDeliveryStatus().withVerificationId(event.getVerificationId())
                .withPhone(event.getPhone()).withChannel(DeliveryChannel.TELEGRAM).withStatus(DeliveryStatus.FAILED)
                .withProvider("telegram").withReason(reason).withOccurredAt(Instant.now());
        Uni<Void> reported = events.delivery(Publisher.derivedId("delivery", ceId), failed);
        if (event.getChannel() != Channel.AUTO) {
            return reported;
        }
        OtpRequested fallback = mapper.convertValue(event, OtpRequested.class).withChannel(Channel.SMS)
                .withFallbackFrom(FallbackFrom.TELEGRAM);
        Log.infof("verification %s: telegram %s, falling back to SMS", event.getVerificationId(), reason);
        return reported.chain(() -> events.requested(Publisher.derivedId("fallback", ceId), fallback));
    }
}
