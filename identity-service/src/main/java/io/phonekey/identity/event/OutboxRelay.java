package io.phonekey.identity.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Channel;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.messaging.Publisher;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Relays the outbox to Kafka, oldest first. A batch is claimed with a lease (several replicas never publish the same
 * row at once, and no transaction stays open while Kafka answers); each row is marked published only after Kafka
 * acknowledged it. A failure hands the batch back for the next round (a crashed relay's batch comes back when its lease
 * has run out): an event is never lost, and at worst published twice under the same {@code ce_id}, which consumers
 * drop.
 */
@ApplicationScoped
public class OutboxRelay {

    static final Duration INTERVAL = Duration.ofMillis(200);
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration KEEP_PUBLISHED = Duration.ofDays(1);

    private static final String CLAIM = """
            UPDATE outbox SET claimed_until = now() + make_interval(secs => $1), attempts = attempts + 1
            WHERE id IN (SELECT id FROM outbox WHERE published_at IS NULL
                         AND (claimed_until IS NULL OR claimed_until < now())
                         ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED)
            RETURNING id, topic, event_key, payload, created_at
            """;

    private final Pool pool;
    private final Vertx vertx;
    private final Publisher publisher;
    private final MutinyEmitter<String> accountLinked;
    private final MutinyEmitter<String> securityNotice;
    private final AtomicBoolean running = new AtomicBoolean();
    private final MeterRegistry metrics;
    private long timer = -1;
    private long lastCleanup;

    public OutboxRelay(Pool pool, Vertx vertx, ObjectMapper mapper, MeterRegistry metrics,
            @Channel("account-linked") MutinyEmitter<String> accountLinked,
            @Channel("security-notice") MutinyEmitter<String> securityNotice) {
        this.pool = pool;
        this.vertx = vertx;
        this.metrics = metrics;
        this.publisher = new Publisher("identity-service", mapper);
        this.accountLinked = accountLinked;
        this.securityNotice = securityNotice;
    }

    void start(@Observes StartupEvent start) {
        timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> relay());
    }

    void stop(@Observes ShutdownEvent stop) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One round; rounds never overlap. */
    void relay() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        relayOnce().onTermination().invoke(() -> running.set(false)).subscribe().with(n -> {
        }, e -> Log.debugf("outbox relay round failed (retried): %s", e.toString()));
    }

    /** Claims a batch and publishes it in order; completes with how many rows were published. */
    public Uni<Integer> relayOnce() {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(LEASE.toSeconds())).flatMap(rows -> {
            List<Row> batch = new ArrayList<>();
            rows.forEach(batch::add);
            batch.sort((a, b) -> a.getOffsetDateTime("created_at").compareTo(b.getOffsetDateTime("created_at")));
            // One at a time, in order: one phone's events reach Kafka in the order they were committed.
            return Multi.createFrom().iterable(batch).onItem().transformToUniAndConcatenate(this::publish)
                    .collect().asList().map(List::size)
                    // Kafka gave up on one: the rest of the batch goes back at once, so the next round (not the
                    // end of the lease) tries again, and a stalled broker delays events only as long as it stalls.
                    .onFailure().call(() -> release(batch));
        }).call(this::cleanup);
    }

    private Uni<Void> publish(Row row) {
        UUID id = row.getUUID("id");
        EventType type = EventType.ofTopic(row.getString("topic"));
        MutinyEmitter<String> emitter = type == EventType.ACCOUNT_LINKED ? accountLinked : securityNotice;
        return publisher.send(emitter, publisher.message(type, id.toString(), row.getString("event_key"),
                row.getString("payload")))
                .chain(() -> pool.preparedQuery("UPDATE outbox SET published_at = now() WHERE id = $1")
                        .execute(Tuple.of(id)))
                .invoke(() -> metrics.counter("phonekey_identity_events_published", "topic", type.topic())
                        .increment())
                .replaceWithVoid();
    }

    private Uni<Void> release(List<Row> batch) {
        UUID[] ids = batch.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
        return pool.preparedQuery("UPDATE outbox SET claimed_until = NULL WHERE id = ANY($1) AND published_at IS NULL")
                .execute(Tuple.of(ids)).replaceWithVoid().onFailure().recoverWithNull();
    }

    private Uni<Void> cleanup() {
        long now = System.currentTimeMillis();
        if (now - lastCleanup < Duration.ofMinutes(1).toMillis()) {
            return Uni.createFrom().voidItem();
        }
        lastCleanup = now;
        return pool.preparedQuery("DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(KEEP_PUBLISHED.toSeconds())).replaceWithVoid();
    }

    /** Rows not yet published (for readiness and metrics). */
    public Uni<Long> pending() {
        return pool.query("SELECT count(*) FROM outbox WHERE published_at IS NULL").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
