package io.phonekey.telegram.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The inbox of Telegram updates: each {@code update_id} stored once, handled once, never lost once acknowledged. */
@ApplicationScoped
public class Updates {

    /** A stored update not handled yet. */
    public record Stored(long updateId, String payload) {
    }

    private final Pool pool;

    public Updates(Pool pool) {
        this.pool = pool;
    }

    /**
     * How long the process that stored or swept an update owns its handling (a reply waits at most for the chat's
     * pacing and one Bot API retry); after that, a crash is assumed and any replica's sweeper may claim it.
     */
    public static final long CLAIM_SECONDS = 30;

    /** Stores the update, claimed by this process; false when this update_id was stored before (a redelivery). */
    public Uni<Boolean> store(long updateId, String payload) {
        return pool.preparedQuery("INSERT INTO telegram_update (update_id, payload, received_at, claimed_until) "
                + "VALUES ($1, $2, $3, $3 + make_interval(secs => $4)) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(updateId, payload, OffsetDateTime.now(ZoneOffset.UTC), CLAIM_SECONDS))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> processed(long updateId) {
        return pool.preparedQuery("UPDATE telegram_update SET processed_at = $2 WHERE update_id = $1")
                .execute(Tuple.of(updateId, OffsetDateTime.now(ZoneOffset.UTC))).replaceWithVoid();
    }

    /**
     * Claims (for {@link #CLAIM_SECONDS}) up to 100 updates still not handled whose claim ran out (a crash, or a
     * failed handling), oldest first. One statement: a row another sweeper just claimed no longer qualifies when
     * this one gets its lock, so two sweepers never claim the same update; SKIP LOCKED lets them take other rows
     * instead of waiting (without it 24 concurrent sweeps took 8 s instead of 0.3 s, still each update once).
     */
    public Uni<List<Stored>> claimStale() {
        return pool.preparedQuery("UPDATE telegram_update SET claimed_until = now() + make_interval(secs => $1) "
                + "WHERE update_id IN (SELECT update_id FROM telegram_update WHERE processed_at IS NULL "
                + "AND (claimed_until IS NULL OR claimed_until < now()) ORDER BY update_id LIMIT 100 "
                + "FOR UPDATE SKIP LOCKED) RETURNING update_id, payload")
                .execute(Tuple.of(CLAIM_SECONDS)).map(rows -> {
                    List<Stored> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Stored(r.getLong("update_id"), r.getString("payload")));
                    }
                    out.sort(java.util.Comparator.comparingLong(Stored::updateId));
                    return out;
                });
    }

    /** A link_telegram code seen on otp.requested for this phone. */
    public Uni<Void> pendingLink(String verificationId, String phone, OffsetDateTime expiresAt) {
        return pool.preparedQuery("INSERT INTO pending_link (verification_id, phone, expires_at) VALUES ($1, $2, $3) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(verificationId, phone, expiresAt)).replaceWithVoid();
    }

    /** The newest live link verification for a phone, or null. */
    public Uni<String> livePendingLink(String phone) {
        return pool.preparedQuery("SELECT verification_id FROM pending_link WHERE phone = $1 AND expires_at > now() "
                + "ORDER BY expires_at DESC LIMIT 1").execute(Tuple.of(phone))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString(0) : null);
    }

    public Uni<Void> linkDone(String verificationId) {
        return pool.preparedQuery("DELETE FROM pending_link WHERE verification_id = $1")
                .execute(Tuple.of(verificationId)).replaceWithVoid();
    }
}
