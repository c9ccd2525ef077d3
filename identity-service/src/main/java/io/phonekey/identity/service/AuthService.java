package io.phonekey.identity.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.otp.OtpGateway;
import io.phonekey.contract.problem.Problem;
import io.phonekey.identity.config.IdentityConfig;
import io.phonekey.identity.repository.RefreshToken;
import io.phonekey.identity.repository.User;
import io.phonekey.identity.repository.UserSession;
import io.phonekey.identity.rest.AuthRequests;
import io.phonekey.identity.token.TokenIssuer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/** Passwordless login by phone code: asks otp-service for codes, then upserts the user and opens a session. */
@ApplicationScoped
public class AuthService {

    private final OtpGateway otp;
    private final TokenIssuer tokens;
    private final IdentityConfig config;
    private final SessionOpener sessions;

    public AuthService(OtpGateway otp, TokenIssuer tokens, IdentityConfig config, SessionOpener sessions) {
        this.otp = otp;
        this.tokens = tokens;
        this.config = config;
        this.sessions = sessions;
    }

    /** Sends a login code. The answer is the same whether or not the phone has an account. */
    public Uni<Answers.OtpSent> requestOtp(AuthRequests.RequestOtp req, String clientIp) {
        if (req == null || req.phone() == null) {
            throw Problem.field("phone", "phone is required");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phone", req.phone());
        putIfPresent(body, "region", req.region());
        putIfPresent(body, "channel", req.channel());
        body.put("purpose", "login");
        putIfPresent(body, "client_ip", clientIp);
        return otp.create(body).map(v -> new Answers.OtpSent("Verification code sent", v.path("channel").asText("sms"),
                v.path("id").asText(), v.path("expires_in").asLong()));
    }

    /**
     * Checks a login code; on approval finds or creates the user by phone and opens a session for this device. The
     * code check comes first and holds no database connection; the login itself is one statement ({@link Logins}).
     */
    public Uni<TokenResponse> verifyOtp(AuthRequests.VerifyOtp req, SessionOpener.Device device) {
        if (req == null || req.phone() == null) {
            throw Problem.field("phone", "phone is required");
        }
        if (req.otpCode() == null || !req.otpCode().matches("[0-9]{4,10}")) {
            throw Problem.field("otp_code", "otp_code must be 4 to 10 digits");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phone", req.phone());
        putIfPresent(body, "region", req.region());
        body.put("code", req.otpCode());
        body.put("purpose", "login");
        return otp.check(body).map(OtpGateway::approvedPhone)
                .flatMap(phone -> sessions.forPhone(phone, device));
    }

    /** Rotates a refresh token. A spent token presented again revokes its whole session. */
    public Uni<TokenResponse> refresh(AuthRequests.Refresh req) {
        if (req == null || req.refreshToken() == null) {
            throw Problem.field("refresh_token", "refresh_token is required");
        }
        String hash = TokenIssuer.hash(req.refreshToken());
        Instant now = Instant.now();
        return Panache.withTransaction(() -> RefreshToken.<RefreshToken>findById(hash).flatMap(token -> {
            if (token == null) {
                return Uni.createFrom().item(Outcome.refused("unknown refresh token"));
            }
            return RefreshToken.spend(hash, now).flatMap(won -> won
                    ? rotate(token, now)
                    : UserSession.update(
                            "revokedAt = ?1, revokedReason = 'refresh_reuse' where id = ?2 and revokedAt is null",
                            now, token.sessionId)
                            .invoke(() -> Log.warnf("refresh token reuse: session %s revoked", token.sessionId))
                            .map(n -> Outcome.refused("refresh token already used; the session is revoked")));
        })).map(Outcome::tokensOrThrow);
    }

    private Uni<Outcome> rotate(RefreshToken token, Instant now) {
        if (now.isAfter(token.idleExpiresAt)) {
            return Uni.createFrom().item(Outcome.refused("refresh token expired"));
        }
        // A conditional update, not a write-back of the loaded row: a logout committed meanwhile must stay revoked.
        return UserSession.update("lastSeenAt = ?1 where id = ?2 and revokedAt is null and expiresAt > ?1", now,
                token.sessionId).flatMap(
                        touched -> touched == 0
                                ? Uni.createFrom().item(Outcome.refused("the session has ended"))
                                : UserSession.<UserSession>findById(token.sessionId).flatMap(session -> User
                                        .<User>findById(session.userId).flatMap(user -> {
                                            if (user == null || !"active".equals(user.status)) {
                                                return Uni.createFrom()
                                                        .item(Outcome.refused("the account is not active"));
                                            }
                                            return issue(user, session, false).map(Outcome::of);
                                        })));
    }

    private Uni<TokenResponse> issue(User user, UserSession session, boolean isNew) {
        String refresh = TokenIssuer.newRefreshToken();
        RefreshToken row = new RefreshToken();
        row.tokenHash = TokenIssuer.hash(refresh);
        row.sessionId = session.id;
        row.issuedAt = Instant.now();
        Instant idle = row.issuedAt.plus(config.refreshIdleTimeout());
        row.idleExpiresAt = idle.isBefore(session.expiresAt) ? idle : session.expiresAt;
        return row.persist().map(r -> new TokenResponse(tokens.accessToken(user, session), "bearer",
                tokens.accessTokenSeconds(), refresh, user.id, user.tenantId, isNew));
    }

    /** A refresh result that lets the transaction commit a revocation before the caller sees 401. */
    private record Outcome(TokenResponse tokens, String refusal) {

        static Outcome of(TokenResponse tokens) {
            return new Outcome(tokens, null);
        }

        static Outcome refused(String why) {
            return new Outcome(null, why);
        }

        TokenResponse tokensOrThrow() {
            if (tokens == null) {
                throw Problem.unauthorized(refusal);
            }
            return tokens;
        }
    }

    private static void putIfPresent(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }
}
