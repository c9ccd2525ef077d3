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

    /** Stores the update; false when this update_id was stored before (a redelivery). */
    public Uni<Boolean> store(long updateId, String payload) {
        return pool.preparedQuery("INSERT INTO telegram_update (update_id, payload, received_at) VALUES ($1, $2, $3) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(updateId, payload, OffsetDateTime.now(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> processed(long updateId) {
        return pool.preparedQuery("UPDATE telegram_update SET processed_at = $2 WHERE update_id = $1")
                .execute(Tuple.of(updateId, OffsetDateTime.now(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** Updates stored more than {@code olderThanSeconds} ago and still not handled (a crash between). */
    public Uni<List<Stored>> unprocessed(long olderThanSeconds) {
        return pool.preparedQuery("SELECT update_id, payload FROM telegram_update WHERE processed_at IS NULL "
                + "AND received_at < now() - make_interval(secs => $1) ORDER BY update_id LIMIT 100")
                .execute(Tuple.of(olderThanSeconds)).map(rows -> {
                    List<Stored> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Stored(r.getLong("update_id"), r.getString("payload")));
                    }
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
