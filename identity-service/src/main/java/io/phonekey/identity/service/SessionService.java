package io.phonekey.identity.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.phonekey.identity.repository.User;
import io.phonekey.identity.repository.UserSession;
import io.phonekey.identity.rest.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Everything a signed-in caller does with its sessions. Each call looks the token's session up, so a revoked
 * session's access token is refused at once rather than at its expiry.
 */
@ApplicationScoped
public class SessionService {

    /** The caller's user and session. */
    public record Caller(User user, UserSession session) {
    }

    public Uni<Caller> caller(JsonWebToken jwt) {
        UUID sid = uuid(jwt.getClaim("sid"));
        UUID sub = uuid(jwt.getSubject());
        return UserSession.<UserSession>findById(sid).flatMap(session -> {
            if (session == null || !session.userId.equals(sub) || !session.active(Instant.now())) {
                return Uni.createFrom().failure(Problem.unauthorized("the session has ended"));
            }
            return User.<User>findById(sub).map(user -> {
                if (user == null || "disabled".equals(user.status)) {
                    throw Problem.unauthorized("the account is not active");
                }
                return new Caller(user, session);
            });
        });
    }

    public Uni<Map<String, Object>> me(JsonWebToken jwt) {
        return Panache.withSession(() -> caller(jwt)).map(c -> {
            Map<String, Object> me = new LinkedHashMap<>();
            me.put("user_id", c.user().id);
            me.put("phone", c.user().phone);
            me.put("phone_verified", c.user().phoneVerified);
            me.put("email", c.user().email);
            me.put("full_name", c.user().fullName);
            me.put("tenant_id", c.user().tenantId);
            me.put("status", c.user().status);
            me.put("telegram_linked", c.user().telegramLinked);
            me.put("created_at", c.user().createdAt);
            return me;
        });
    }

    public Uni<Void> logout(JsonWebToken jwt) {
        return Panache.withTransaction(() -> caller(jwt).invoke(c -> {
            c.session().revokedAt = Instant.now();
            c.session().revokedReason = "logout";
        })).replaceWithVoid();
    }

    public Uni<Void> logoutAll(JsonWebToken jwt) {
        return Panache.withTransaction(() -> caller(jwt).flatMap(c -> UserSession.revokeAll(c.user().id, "logout_all")))
                .replaceWithVoid();
    }

    public Uni<List<Map<String, Object>>> sessions(JsonWebToken jwt) {
        return Panache.withSession(() -> caller(jwt).flatMap(c -> UserSession.<UserSession>list(
                "userId = ?1 and revokedAt is null and expiresAt > ?2 order by createdAt desc", c.user().id,
                Instant.now())
                .map(list -> list.stream().map(s -> {
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("id", s.id);
                    view.put("device_name", s.deviceName);
                    view.put("created_at", s.createdAt);
                    view.put("last_seen_at", s.lastSeenAt);
                    view.put("current", s.id.equals(c.session().id));
                    return view;
                }).toList())));
    }

    public Uni<Void> revoke(JsonWebToken jwt, String sessionId) {
        UUID id = uuid(sessionId);
        return Panache.withTransaction(() -> caller(jwt).flatMap(c -> UserSession.update(
                "revokedAt = ?1, revokedReason = 'revoked' where id = ?2 and userId = ?3 and revokedAt is null",
                Instant.now(), id, c.user().id)))
                .invoke(n -> {
                    if (n == 0) {
                        throw Problem.notFound("no such session");
                    }
                }).replaceWithVoid();
    }

    private static UUID uuid(Object value) {
        try {
            return UUID.fromString(String.valueOf(value).replace("\"", ""));
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("no such session");
        }
    }
}
