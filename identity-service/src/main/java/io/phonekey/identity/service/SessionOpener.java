package io.phonekey.identity.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.NoticeKind;
import io.phonekey.contract.event.SecurityNotice;
import io.phonekey.contract.problem.Problem;
import io.phonekey.identity.config.IdentityConfig;
import io.phonekey.identity.event.Outbox;
import io.phonekey.identity.repository.Logins;
import io.phonekey.identity.token.TokenIssuer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Opens a session after a proof (a phone code, a password, a second factor) in one transaction: the session, its
 * refresh token and, when an existing account signs in on a device it never used, a {@code new_device_login}
 * notice in the outbox. The token is signed after the commit, with no connection held.
 */
@ApplicationScoped
public class SessionOpener {

    /** Where a request came from: what a session records of its device. */
    public record Device(String name, String userAgent, String ip) {
    }

    private final Pool pool;
    private final Logins logins;
    private final Outbox outbox;
    private final TokenIssuer tokens;
    private final IdentityConfig config;
    private final Tenancy tenancy;

    public SessionOpener(Pool pool, Logins logins, Outbox outbox, TokenIssuer tokens, IdentityConfig config,
            Tenancy tenancy) {
        this.pool = pool;
        this.logins = logins;
        this.outbox = outbox;
        this.tokens = tokens;
        this.config = config;
        this.tenancy = tenancy;
    }

    /** For a phone whose code was just approved; the user is created on a first login. */
    public Uni<TokenResponse> forPhone(String phone, Device device) {
        Pending p = pending(phone, device);
        return open(p, tx -> logins.login(tx, p.session()));
    }

    /** For an account found by id (password login, second factor). */
    public Uni<TokenResponse> forUser(UUID userId, Device device) {
        Pending p = pending(null, device);
        return open(p, tx -> logins.openForUser(tx, userId, p.session()).map(o -> {
            if (o == null) {
                throw Problem.unauthorized("the account no longer exists");
            }
            return o;
        }));
    }

    private record Pending(Logins.NewSession session, String refresh) {
    }

    private Pending pending(String phone, Device device) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime expires = now.plus(config.sessionMaxAge());
        OffsetDateTime idle = now.plus(config.refreshIdleTimeout());
        String refresh = TokenIssuer.newRefreshToken();
        UUID newUser = UUID.randomUUID();
        return new Pending(new Logins.NewSession(phone, newUser, tenancy.tenantForNewUser(newUser), UUID.randomUUID(),
                device.name(), device.userAgent(), device.ip(), now, expires, TokenIssuer.hash(refresh),
                idle.isBefore(expires) ? idle : expires), refresh);
    }

    private Uni<TokenResponse> open(Pending p, java.util.function.Function<SqlConnection, Uni<Logins.Outcome>> login) {
        Logins.NewSession s = p.session();
        return pool.withTransaction(tx -> login.apply(tx).call(outcome -> {
            if (!outcome.opened() || outcome.newUser() || !outcome.newDevice()) {
                return Uni.createFrom().voidItem();
            }
            SecurityNotice notice = new SecurityNotice().withUserId(outcome.userId().toString())
                    .withPhone(outcome.phone()).withKind(NoticeKind.NEW_DEVICE_LOGIN)
                    .withOccurredAt(s.now().toInstant()).withSessionId(s.sessionId().toString())
                    .withDeviceName(s.deviceName());
            return outbox.add(tx, EventType.SECURITY_NOTICE, outcome.phone(), notice);
        })).map(outcome -> {
            if (!outcome.opened()) {
                throw "pending_verification".equals(outcome.status())
                        ? new Problem(403, "account_not_verified", "Forbidden",
                                "this account is waiting for its phone to be verified: use register/verify")
                        : new Problem(403, "account_disabled", "Forbidden", "this account is disabled");
            }
            if (outcome.newUser()) {
                Log.infof("user %s signed up by phone", outcome.userId());
            }
            return new TokenResponse(tokens.accessToken(outcome.userId(), outcome.tenantId(), outcome.phone(),
                    outcome.phoneVerified(), s.sessionId()), "bearer", tokens.accessTokenSeconds(), p.refresh(),
                    outcome.userId(), outcome.tenantId(), outcome.newUser());
        });
    }
}
