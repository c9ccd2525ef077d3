package io.phonekey.identity.repository;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Account rows in plain SQL on the reactive client: every write is one statement or runs on the connection of the
 * caller's {@code pool.withTransaction}, which commits or rolls back and gives the connection back whatever happens.
 */
@ApplicationScoped
public class Accounts {

    /** The columns the account flows need. */
    public record Account(UUID id, String tenantId, String phone, boolean phoneVerified, String email,
            String passwordHash, String status, boolean mfaEnabled, String fullName) {

        static Account of(Row r) {
            return new Account(r.getUUID("id"), r.getString("tenant_id"), r.getString("phone"),
                    r.getBoolean("phone_verified"), r.getString("email"), r.getString("password_hash"),
                    r.getString("status"), r.getBoolean("mfa_enabled"), r.getString("full_name"));
        }
    }

    private static final String COLUMNS = "id, tenant_id, phone, phone_verified, email, password_hash, status, "
            + "mfa_enabled, full_name";

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    public Uni<Account> byEmail(SqlClient db, String email) {
        return one(db, "SELECT " + COLUMNS + " FROM app_user WHERE email = $1", Tuple.of(email));
    }

    public Uni<Account> byPhone(SqlClient db, String phone) {
        return one(db, "SELECT " + COLUMNS + " FROM app_user WHERE phone = $1", Tuple.of(phone));
    }

    public Uni<Account> byId(SqlClient db, UUID id) {
        return one(db, "SELECT " + COLUMNS + " FROM app_user WHERE id = $1", Tuple.of(id));
    }

    private static Uni<Account> one(SqlClient db, String sql, Tuple args) {
        return db.preparedQuery(sql).execute(args)
                .map(rows -> rows.iterator().hasNext() ? Account.of(rows.iterator().next()) : null);
    }

    /** A registration; null when the phone or the email is taken already. */
    public Uni<UUID> register(SqlClient db, UUID id, String tenant, String phone, String email, String fullName,
            String passwordHash, String status, boolean smsOptIn) {
        OffsetDateTime now = now();
        return db.preparedQuery("""
                INSERT INTO app_user (id, tenant_id, phone, phone_verified, email, full_name, password_hash, status,
                                      telegram_linked, sms_opt_in, created_at, updated_at)
                VALUES ($1, $2, $3, false, $4, $5, $6, $7, false, $8, $9, $9)
                ON CONFLICT DO NOTHING RETURNING id
                """).execute(Tuple.tuple().addUUID(id).addString(tenant).addString(phone).addString(email)
                .addString(fullName).addString(passwordHash).addString(status).addBoolean(smsOptIn)
                .addOffsetDateTime(now))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("id") : null);
    }

    /**
     * A registration again for a phone whose account was never verified: that account takes the new details and
     * stays {@code pending_verification} (only the code to the phone activates it), so a lost or expired signup code,
     * or somebody else's unverified claim on the number, never locks the phone's owner out. Not when the email
     * belongs to another account. The account's id, or null.
     */
    public Uni<UUID> retakePending(SqlClient db, String phone, String email, String fullName, String passwordHash,
            boolean smsOptIn) {
        return db.preparedQuery("""
                UPDATE app_user u SET email = $2, full_name = $3, password_hash = $4, sms_opt_in = $5, updated_at = $6
                WHERE u.phone = $1 AND u.status = 'pending_verification'
                  AND NOT EXISTS (SELECT 1 FROM app_user o WHERE o.email = $2 AND o.id <> u.id)
                RETURNING u.id
                """).execute(Tuple.tuple().addString(phone).addString(email).addString(fullName)
                .addString(passwordHash).addBoolean(smsOptIn).addOffsetDateTime(now()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("id") : null);
    }

    public Uni<Void> consent(SqlClient db, UUID userId, String kind, boolean granted, String wording, String ip) {
        return db.preparedQuery("INSERT INTO consent (id, user_id, kind, granted, wording, ip, agreed_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7)").execute(Tuple.tuple().addUUID(UUID.randomUUID())
                        .addUUID(userId).addString(kind).addBoolean(granted).addString(wording).addString(ip)
                        .addOffsetDateTime(now()))
                .replaceWithVoid();
    }

    /** Activates a pending account whose phone was just proven; the account's id, or null if none was pending. */
    public Uni<UUID> activate(SqlClient db, String phone) {
        return db.preparedQuery("UPDATE app_user SET status = 'active', phone_verified = true, "
                + "phone_verified_at = $2, updated_at = $2 WHERE phone = $1 AND status = 'pending_verification' "
                + "RETURNING id").execute(Tuple.of(phone, now()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("id") : null);
    }

    public Uni<Void> setPassword(SqlClient db, UUID userId, String hash) {
        return db.preparedQuery("UPDATE app_user SET password_hash = $2, updated_at = $3 WHERE id = $1")
                .execute(Tuple.of(userId, hash, now())).replaceWithVoid();
    }

    public Uni<Boolean> setMfa(SqlClient db, UUID userId, boolean enabled) {
        return db.preparedQuery("UPDATE app_user SET mfa_enabled = $2, updated_at = $3 WHERE id = $1 "
                + "RETURNING mfa_enabled").execute(Tuple.of(userId, enabled, now()))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Moves the account to a new, proven phone; false when another account took that phone meanwhile. */
    public Uni<Boolean> changePhone(SqlClient db, UUID userId, String newPhone) {
        return db.preparedQuery("UPDATE app_user SET phone = $2, phone_verified = true, phone_verified_at = $3, "
                + "updated_at = $3 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM app_user o WHERE o.phone = $2)")
                .execute(Tuple.of(userId, newPhone, now())).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> linkTelegram(SqlClient db, UUID userId, long telegramUserId, OffsetDateTime at) {
        return db.preparedQuery("UPDATE app_user SET telegram_linked = true, telegram_user_id = $2, "
                + "telegram_linked_at = $3, updated_at = $3 WHERE id = $1")
                .execute(Tuple.of(userId, telegramUserId, at)).replaceWithVoid();
    }

    /** Revokes every live session of a user; how many. */
    public Uni<Integer> revokeSessions(SqlClient db, UUID userId, String reason) {
        return db.preparedQuery("UPDATE user_session SET revoked_at = $2, revoked_reason = $3 "
                + "WHERE user_id = $1 AND revoked_at IS NULL").execute(Tuple.of(userId, now(), reason))
                .map(rows -> rows.rowCount());
    }

    /** Revokes every live session of a user but {@code keep} (the caller's own); how many. */
    public Uni<Integer> revokeOtherSessions(SqlClient db, UUID userId, UUID keep, String reason) {
        return db.preparedQuery("UPDATE user_session SET revoked_at = $2, revoked_reason = $3 "
                + "WHERE user_id = $1 AND id <> $4 AND revoked_at IS NULL")
                .execute(Tuple.of(userId, now(), reason, keep)).map(rows -> rows.rowCount());
    }

    /** A code asked for on a user's behalf, bound to its verification id. */
    public record PendingAction(String verificationId, String kind, UUID userId, String phone) {
    }

    public Uni<Void> addPending(SqlClient db, String verificationId, String kind, UUID userId, String phone,
            long expiresInSeconds) {
        OffsetDateTime now = now();
        return db.preparedQuery("""
                INSERT INTO pending_action (verification_id, kind, user_id, phone, created_at, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (verification_id) DO UPDATE SET kind = EXCLUDED.kind, user_id = EXCLUDED.user_id,
                  phone = EXCLUDED.phone, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
                """).execute(Tuple.tuple().addString(verificationId).addString(kind).addUUID(userId)
                .addString(phone).addOffsetDateTime(now).addOffsetDateTime(now.plusSeconds(expiresInSeconds)))
                .replaceWithVoid();
    }

    /** Takes (deletes and returns) a live pending action; null when there is none of that kind. */
    public Uni<PendingAction> takePending(SqlClient db, String verificationId, String kind) {
        return db.preparedQuery("DELETE FROM pending_action WHERE verification_id = $1 AND kind = $2 "
                + "AND expires_at > now() RETURNING verification_id, kind, user_id, phone")
                .execute(Tuple.of(verificationId, kind)).map(Accounts::pending);
    }

    private static PendingAction pending(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return null;
        }
        Row r = rows.iterator().next();
        return new PendingAction(r.getString("verification_id"), r.getString("kind"), r.getUUID("user_id"),
                r.getString("phone"));
    }

    /** Takes the live pending action of that kind a user started for a phone. */
    public Uni<PendingAction> takePendingFor(SqlClient db, UUID userId, String kind, String phone) {
        return db.preparedQuery("DELETE FROM pending_action WHERE verification_id = (SELECT verification_id "
                + "FROM pending_action WHERE user_id = $1 AND kind = $2 AND phone = $3 AND expires_at > now() "
                + "ORDER BY created_at DESC LIMIT 1) RETURNING verification_id, kind, user_id, phone")
                .execute(Tuple.of(userId, kind, phone)).map(Accounts::pending);
    }

    public Uni<PendingAction> findPending(SqlClient db, String verificationId, String kind) {
        return db.preparedQuery("SELECT verification_id, kind, user_id, phone FROM pending_action "
                + "WHERE verification_id = $1 AND kind = $2 AND expires_at > now()")
                .execute(Tuple.of(verificationId, kind)).map(Accounts::pending);
    }

    /** Records an event as handled; false when it was handled before. */
    public Uni<Boolean> firstTime(SqlClient db, String ceId) {
        return db.preparedQuery("INSERT INTO processed_event (ce_id, processed_at) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING").execute(Tuple.of(ceId, now())).map(rows -> rows.rowCount() == 1);
    }
}
