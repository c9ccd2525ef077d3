package io.phonekey.contract.messaging;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.failure.Failures;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;

/**
 * The consumer envelope every PhoneKey consumer uses: read {@code ce_id}, parse and validate the payload against its
 * schema, run the handler, then settle. A store or broker that is down is waited out (the partition pauses, nothing is
 * lost) for up to {@link #OUTAGE_PATIENCE}; a record that can never succeed (not a CloudEvent, unreadable, against
 * the schema, or a handler's non-outage failure) is nacked, which the dead-letter-queue strategy moves to
 * {@code <topic>.dlq} with the reason. The handler de-duplicates on the {@code ce_id} in its own store before the
 * ack, so a redelivery changes nothing.
 */
public final class Inbox {

    /** How long a record waits for a store or broker to come back before it goes to the dead-letter topic. */
    public static final Duration OUTAGE_PATIENCE = Duration.ofMinutes(10);

    /** A handler of one event type. */
    @FunctionalInterface
    public interface Handler<T> {
        Uni<Void> handle(String ceId, T event);
    }

    private final ObjectMapper mapper;

    public Inbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Receives with the default rule: only an outage ({@link Failures#isOutage}) is waited out. */
    public <T> Uni<Void> receive(Message<String> message, EventType type, Class<T> payload, Handler<T> handler) {
        return receive(message, type, payload, handler, Failures::isOutage);
    }

    /** Receives, waiting out (retrying with backoff) every failure {@code waitFor} accepts. */
    public <T> Uni<Void> receive(Message<String> message, EventType type, Class<T> payload, Handler<T> handler,
            Predicate<Throwable> waitFor) {
        Uni<Void> work;
        try {
            String ceId = ceId(message);
            T event = read(type, payload, message.getPayload());
            Duration late = lateBy(message);
            if (late != null) {
                Log.warnf("%s %s was stored %d s after it was sent: its producer had given up on it and its sender "
                        + "was answered 503, so it is skipped", type.topic(), ceId, late.toSeconds());
                return Uni.createFrom().completionStage(message.ack());
            }
            work = Uni.createFrom().deferred(() -> handler.handle(ceId, event));
        } catch (IllegalArgumentException e) {
            work = Uni.createFrom().failure(e);
        }
        return work.onFailure(waitFor).retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .expireIn(OUTAGE_PATIENCE.toMillis())
                .onItemOrFailure().transformToUni((ok, failure) -> failure == null
                        ? Uni.createFrom().completionStage(message.ack())
                        : Uni.createFrom().completionStage(message.nack(failure)));
    }

    /**
     * A record the broker stored later than {@link Publisher#STORE_DEADLINE} after its producer sent it, or null. Its
     * publisher counted it as failed (its sender was answered 503, or it publishes the event again), so it announces
     * something that did not happen or comes again: it must not be delivered. Such records come from a stalled broker
     * that reads what waited in its socket when it comes back, or from the connector re-sending a record the producer
     * had expired. The topics keep the broker's append time ({@code message.timestamp.type=LogAppendTime});
     * {@code ce_time} is when the publisher sent the record.
     */
    static Duration lateBy(Message<?> message) {
        var kafka = message.getMetadata(io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata.class);
        var ce = message.getMetadata(IncomingCloudEventMetadata.class);
        if (kafka.isEmpty() || ce.isEmpty()
                || kafka.get().getTimestampType() != org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME) {
            return null;
        }
        @SuppressWarnings("unchecked")
        java.util.Optional<java.time.ZonedDateTime> sent = ce.get().getTimeStamp();
        return sent.isEmpty()
                ? null
                : Publisher.lateBy(sent.get().toInstant(), kafka.get().getTimestamp().toEpochMilli());
    }

    /** The record's CloudEvents id; {@link IllegalArgumentException} when it is not a CloudEvent. */
    public static String ceId(Message<?> message) {
        return message.getMetadata(IncomingCloudEventMetadata.class).map(m -> m.getId())
                .filter(id -> !id.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("not a CloudEvent: no ce_id"));
    }

    /** The payload as its generated type, after the schema's reader rules; {@link IllegalArgumentException} if not. */
    public <T> T read(EventType type, Class<T> payload, String json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("unreadable " + type.topic() + " record", e);
        }
        if (tree == null) {
            throw new IllegalArgumentException("empty " + type.topic() + " record");
        }
        List<String> violations = Schemas.readerViolations(type, tree);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(type.topic() + " record against its schema: " + violations);
        }
        try {
            // A field a newer producer added is not ours to refuse (the schema check above let it through).
            return mapper.readerFor(payload).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(tree);
        } catch (Exception e) {
            throw new IllegalArgumentException("unreadable " + type.topic() + " record", e);
        }
    }
}
