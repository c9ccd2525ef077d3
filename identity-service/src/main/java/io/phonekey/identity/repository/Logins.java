package io.phonekey.identity.repository;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The write of a code login, as one SQL statement on the reactive pool: upsert the user by phone, open the session,
 * store the refresh token. One statement is one implicit transaction, so it commits whole or not at all, never
 * waits on another call while it holds a connection, and gives the connection back whatever happens. (The earlier
 * Hibernate Reactive version opened its session on whatever Vert.x context the otp-service call completed on and
 * could leave it, and its connection, behind: under load the pool drained and every request hung.)
 */
@ApplicationScoped
public class Logins {

    /**
     * {@code xmax = 0} tells a row this statement inserted from one it found: the first login of two racing ones for
     * a new phone creates the user, the second waits on the unique phone and finds it. Only an {@code active} account
     * gets a session. {@code new_device} is whether the user had never signed in on a device of that name.
     */
    static final String LOGIN = """
            WITH u AS (
              INSERT INTO app_user (id, tenant_id, phone, phone_verified, status, telegram_linked, created_at, updated_at)
              VALUES ($1, $2, $3, true, 'active', false, $4, $4)
              ON CONFLICT (phone) DO UPDATE SET phone_verified = true
              RETURNING id, tenant_id, status, (xmax = 0) AS inserted
            ), s AS (
              INSERT INTO user_session (id, user_id, device_name, user_agent, ip, created_at, last_seen_at, expires_at)
              SELECT $5, u.id, $6, $10, $11, $4, $4, $7 FROM u WHERE u.status = 'active'
              RETURNING id, user_id
            ), r AS (
              INSERT INTO refresh_token (token_hash, session_id, issued_at, idle_expires_at)
              SELECT $8, s.id, $4, $9 FROM s
              RETURNING session_id
            )
            SELECT u.id, u.tenant_id, u.status, u.inserted, EXISTS (SELECT 1 FROM r) AS opened,
                   NOT EXISTS (SELECT 1 FROM user_session p WHERE p.user_id = u.id
                               AND p.device_name IS NOT DISTINCT FROM $6) AS new_device
            FROM u
            """;

    /** A session for an account found by id (password login, 2FA): the phone is not proven by this login. */
    static final String OPEN_FOR_USER = """
            WITH u AS (
              SELECT id, tenant_id, phone, phone_verified, status FROM app_user WHERE id = $1
            ), s AS (
              INSERT INTO user_session (id, user_id, device_name, user_agent, ip, created_at, last_seen_at, expires_at)
              SELECT $2, u.id, $3, $4, $5, $6, $6, $7 FROM u WHERE u.status = 'active'
              RETURNING id
            ), r AS (
              INSERT INTO refresh_token (token_hash, session_id, issued_at, idle_expires_at)
              SELECT $8, s.id, $6, $9 FROM s
              RETURNING session_id
            )
            SELECT u.id, u.tenant_id, u.phone, u.phone_verified, u.status, false AS inserted,
                   EXISTS (SELECT 1 FROM r) AS opened,
                   NOT EXISTS (SELECT 1 FROM user_session p WHERE p.user_id = u.id
                               AND p.device_name IS NOT DISTINCT FROM $3) AS new_device
            FROM u
            """;

    private final Pool pool;

    public Logins(Pool pool) {
        this.pool = pool;
    }

    /** What the login found or made. {@code opened} is false when the account may not sign in (not active). */
    public record Outcome(UUID userId, String tenantId, String phone, boolean phoneVerified, String status,
            boolean newUser, boolean opened, boolean newDevice) {
    }

    /** A session to open for a verified phone. */
    public record NewSession(String phone, UUID newUserId, String newUserTenant, UUID sessionId, String deviceName,
            String userAgent, String ip, OffsetDateTime now, OffsetDateTime expiresAt, String refreshHash,
            OffsetDateTime refreshIdleExpiresAt) {
    }

    /** The login of a phone whose code was just approved: the user is created on a first login. */
    public Uni<Outcome> login(SqlClient db, NewSession s) {
        Tuple args = Tuple.tuple().addUUID(s.newUserId()).addString(s.newUserTenant()).addString(s.phone())
                .addOffsetDateTime(s.now()).addUUID(s.sessionId()).addString(s.deviceName())
                .addOffsetDateTime(s.expiresAt()).addString(s.refreshHash())
                .addOffsetDateTime(s.refreshIdleExpiresAt()).addString(s.userAgent()).addString(s.ip());
        return db.preparedQuery(LOGIN).execute(args).map(rows -> {
            Row row = rows.iterator().next();
            return new Outcome(row.getUUID("id"), row.getString("tenant_id"), s.phone(), true,
                    row.getString("status"), row.getBoolean("inserted"), row.getBoolean("opened"),
                    row.getBoolean("new_device"));
        });
    }

    /** A session for an existing account; null when there is no such account. */
    public Uni<Outcome> openForUser(SqlClient db, UUID userId, NewSession s) {
        Tuple args = Tuple.tuple().addUUID(userId).addUUID(s.sessionId()).addString(s.deviceName())
                .addString(s.userAgent()).addString(s.ip()).addOffsetDateTime(s.now())
                .addOffsetDateTime(s.expiresAt()).addString(s.refreshHash())
                .addOffsetDateTime(s.refreshIdleExpiresAt());
        return db.preparedQuery(OPEN_FOR_USER).execute(args).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Outcome(row.getUUID("id"), row.getString("tenant_id"), row.getString("phone"),
                    row.getBoolean("phone_verified"), row.getString("status"), false, row.getBoolean("opened"),
                    row.getBoolean("new_device"));
        });
    }

}
