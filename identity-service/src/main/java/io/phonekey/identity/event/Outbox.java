package io.phonekey.identity.event;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.event.EventType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes an event into the outbox on the caller's connection, inside the caller's transaction: the event exists
 * exactly when the change it announces was committed. {@link OutboxRelay} takes it to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = "INSERT INTO outbox (id, topic, event_key, payload, created_at) "
            + "VALUES ($1, $2, $3, $4, $5)";

    private final ObjectMapper mapper;

    public Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Adds the event; its outbox id is its {@code ce_id}. */
    public Uni<Void> add(SqlConnection tx, EventType type, String phone, Object payload) {
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return tx.preparedQuery(INSERT).execute(Tuple.of(UUID.randomUUID(), type.topic(), phone, json,
                OffsetDateTime.now(ZoneOffset.UTC))).replaceWithVoid();
    }
}
