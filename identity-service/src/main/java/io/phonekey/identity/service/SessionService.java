package io.phonekey.identity.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.NoticeKind;
import io.phonekey.contract.problem.Problem;
import io.phonekey.identity.config.IdentityConfig;
import io.phonekey.identity.event.Outbox;
import io.phonekey.identity.repository.Accounts;
import io.phonekey.identity.repository.User;
import io.phonekey.identity.repository.UserSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Everything a signed-in caller does with its sessions. Each call looks the token's session up, so a revoked
 * session's access token is refused at once rather than at its expiry.
 */
@ApplicationScoped
public class SessionService {

    private final IdentityConfig config;
    private final Pool pool;
    private final Accounts accounts;
    private final Outbox outbox;

    public SessionService(IdentityConfig config, Pool pool, Accounts accounts, Outbox outbox) {
        this.config = config;
        this.pool = pool;
        this.accounts = accounts;
        this.outbox = outbox;
    }

    /** The caller's user and session. */
    public record Caller(User user, UserSession session) {
    }

    public Uni<Caller> caller(JsonWebToken jwt) {
        TokenRules.check(jwt, config.accessTokenTtl());
        UUID sid = claimUuid(jwt.getClaim("sid"));
        UUID sub = claimUuid(jwt.getSubject());
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

    /** The caller, looked up in a session of its own (for flows that go on with plain SQL). */
    public Uni<Caller> current(JsonWebToken jwt) {
        return Panache.withSession(() -> caller(jwt));
    }

    public Uni<Answers.Me> me(JsonWebToken jwt) {
        return Panache.withSession(() -> caller(jwt)).map(c -> new Answers.Me(c.user().id, c.user().phone,
                c.user().phoneVerified, c.user().email, c.user().fullName, c.user().tenantId, c.user().status,
                c.user().telegramLinked, c.user().createdAt));
    }

    public Uni<Void> logout(JsonWebToken jwt) {
        return Panache.withTransaction(() -> caller(jwt).invoke(c -> {
            c.session().revokedAt = Instant.now();
            c.session().revokedReason = "logout";
        })).replaceWithVoid();
    }

    /** Every session of the user ends, and the account holder is told on its other channels. */
    public Uni<Void> logoutAll(JsonWebToken jwt) {
        return current(jwt).flatMap(c -> pool.withTransaction(tx -> accounts
                .revokeSessions(tx, c.user().id, "logout_all")
                .chain(() -> outbox.add(tx, EventType.SECURITY_NOTICE, c.user().phone,
                        AccountService.notice(c.user().id, c.user().phone, NoticeKind.SESSIONS_REVOKED)))));
    }

    public Uni<List<Answers.SessionView>> sessions(JsonWebToken jwt) {
        return Panache.withSession(() -> caller(jwt).flatMap(c -> UserSession.<UserSession>list(
                "userId = ?1 and revokedAt is null and expiresAt > ?2 order by createdAt desc", c.user().id,
                Instant.now())
                .map(list -> list.stream().map(s -> new Answers.SessionView(s.id, s.deviceName, s.createdAt,
                        s.lastSeenAt, s.id.equals(c.session().id))).toList())));
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

    /** A token whose {@code sid} or {@code sub} is not one of our ids was not issued by us as it is: 401. */
    private static UUID claimUuid(Object value) {
        try {
            return value == null ? failUnauthorized() : UUID.fromString(String.valueOf(value).replace("\"", ""));
        } catch (IllegalArgumentException e) {
            return failUnauthorized();
        }
    }

    private static UUID failUnauthorized() {
        throw Problem.unauthorized("the access token is not valid");
    }

    private static UUID uuid(Object value) {
        try {
            return UUID.fromString(String.valueOf(value).replace("\"", ""));
        } catch (IllegalArgumentException e) {
            throw Problem.notFound("no such session");
        }
    }
}
