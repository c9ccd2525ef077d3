package io.phonekey.telegram.service;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.phonekey.telegram.config.TelegramConfig;
import io.phonekey.telegram.event.GatewayEvents;
import io.phonekey.telegram.repository.ProcessedEvent;
import io.phonekey.telegram.repository.TelegramChat;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * Takes {@code otp.requested} events of channels telegram and auto. Sending into a chat needs the bot, which is not
 * built yet: today every such event is reported on {@code otp.delivery} as failed (bot off or no chat), and an
 * {@code auto} event falls back to SMS as a new {@code otp.requested} with {@code fallback_from: telegram} and the same
 * sealed code. The fallback's ce_id is derived from the original's, so a redelivery can never cause a second SMS.
 */
@ApplicationScoped
public class TelegramDelivery {

    private static final Set<String> CHANNELS = Set.of("telegram", "auto");

    /** How long a record waits for a store or broker to come back before it goes to the dead-letter topic. */
    private static final Duration STORE_OUTAGE_PATIENCE = Duration.ofMinutes(10);

    private final TelegramConfig config;
    private final GatewayEvents events;
    private final ObjectMapper mapper;

    public TelegramDelivery(TelegramConfig config, GatewayEvents events, ObjectMapper mapper) {
        this.config = config;
        this.events = events;
        this.mapper = mapper;
    }

    @Incoming("otp-requested")
    public Uni<Void> onRequested(Message<String> message) {
        Uni<Void> work;
        try {
            String ceId = message.getMetadata(IncomingCloudEventMetadata.class).map(m -> m.getId())
                    .orElseThrow(() -> new IllegalArgumentException("not a CloudEvent: no ce_id"));
            JsonNode event = mapper.readTree(message.getPayload());
            String channel = event.path("channel").asText();
            if (!event.hasNonNull("verification_id") || !event.hasNonNull("phone")) {
                throw new IllegalArgumentException("otp.requested lacks required fields");
            }
            work = CHANNELS.contains(channel) ? handle(ceId, (ObjectNode) event) : Uni.createFrom().voidItem();
        } catch (Exception e) {
            work = Uni.createFrom().failure(e instanceof IllegalArgumentException
                    ? e
                    : new IllegalArgumentException("unreadable otp.requested record", e));
        }
        // A store or broker that is down is waited for (the partition pauses, nothing is lost); only a record
        // that can never succeed goes to the dead-letter topic.
        return work.onFailure(Outages::isOutage).retry()
                .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).expireIn(STORE_OUTAGE_PATIENCE.toMillis())
                .onItemOrFailure().transformToUni((ok, failure) -> failure == null
                        ? Uni.createFrom().completionStage(message.ack())
                        : Uni.createFrom().completionStage(message.nack(failure)));
    }

    private Uni<Void> handle(String ceId, ObjectNode event) {
        String phone = event.get("phone").asText();
        return Panache.withSession(() -> ProcessedEvent.<ProcessedEvent>findById(ceId)
                .flatMap(done -> done != null
                        ? Uni.createFrom().<String>nullItem()
                        : TelegramChat.findByPhone(phone).map(this::reason)))
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
    private Uni<Void> undeliverable(String ceId, ObjectNode event, String reason) {
        String phone = event.get("phone").asText();
        ObjectNode failed = mapper.createObjectNode()
                .put("verification_id", event.get("verification_id").asText())
                .put("phone", phone)
                .put("channel", "telegram")
                .put("status", "failed")
                .put("provider", "telegram")
                .put("reason", reason)
                .put("occurred_at", Instant.now().toString());
        Uni<Void> reported = events.delivery(derivedId("delivery", ceId), phone, failed.toString());
        if (!"auto".equals(event.get("channel").asText())) {
            return reported;
        }
        ObjectNode fallback = event.deepCopy();
        fallback.put("channel", "sms");
        fallback.put("fallback_from", "telegram");
        Log.infof("verification %s: telegram %s, falling back to SMS", event.get("verification_id").asText(), reason);
        return reported.chain(() -> events.requested(derivedId("fallback", ceId), phone, fallback.toString()));
    }

    private static String derivedId(String kind, String ceId) {
        return UUID.nameUUIDFromBytes((kind + ":" + ceId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
