package io.phonekey.identity.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.NoticeKind;
import io.phonekey.contract.event.SecurityNotice;
import io.phonekey.contract.otp.OtpGateway;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.text.PhoneMask;
import io.phonekey.contract.text.PhoneNumbers;
import io.phonekey.identity.event.Outbox;
import io.phonekey.identity.repository.Accounts;
import io.phonekey.identity.rest.AccountRequests;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The account flows beyond code login: registration with phone activation and consent, password login
 * with an optional second factor, password reset by code and phone change, each with the notices it owes
 * the account holder. Answers that could tell whether an email or phone has an account are the same either way.
 */
@ApplicationScoped
public class AccountService {

    /** The wording version recorded with a consent; bump it when the text shown to users changes. */
    static final String CONSENT_WORDING = "phonekey-sms-v1";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");

    private final Pool pool;
    private final Accounts accounts;
    private final Passwords passwords;
    private final LoginLimits limits;
    private final OtpGateway otp;
    private final SessionOpener sessions;
    private final Outbox outbox;
    private final Tenancy tenancy;

    public AccountService(Pool pool, Accounts accounts, Passwords passwords, LoginLimits limits, OtpGateway otp,
            SessionOpener sessions, Outbox outbox, Tenancy tenancy) {
        this.pool = pool;
        this.accounts = accounts;
        this.passwords = passwords;
        this.limits = limits;
        this.otp = otp;
        this.sessions = sessions;
        this.outbox = outbox;
        this.tenancy = tenancy;
    }

    // --- registration -------------------------------------------------------------------------------------------

    public Uni<Answers.Registered> register(AccountRequests.Register req, String ip) {
        if (req == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        String email = email(req.email());
        if (req.fullName() == null || req.fullName().isBlank() || req.fullName().length() > 200) {
            throw Problem.field("full_name", "full_name is required, at most 200 characters");
        }
        String weak = Passwords.acceptable(req.password());
        if (weak != null) {
            throw Problem.field("password", weak);
        }
        if (!Boolean.TRUE.equals(req.tcpaConsent())) {
            throw Problem.field("tcpa_consent", "tcpa_consent must be true: we send codes by SMS to this number");
        }
        String phone = PhoneNumbers.parse(req.phone(), req.region()).e164();
        boolean verify = !Boolean.FALSE.equals(req.verifyPhone());
        String status = verify ? "pending_verification" : "active";
        UUID id = UUID.randomUUID();
        boolean smsOptIn = Boolean.TRUE.equals(req.smsOptIn());
        String fullName = req.fullName().strip();
        return passwords.hash(req.password())
                .flatMap(hash -> pool.withTransaction(tx -> accounts.register(tx, id, tenancy.tenantForNewUser(id),
                        phone, email, fullName, hash, status, smsOptIn)
                        .flatMap(created -> created != null || !verify
                                ? Uni.createFrom().item(created)
                                : accounts.retakePending(tx, phone, email, fullName, hash, smsOptIn))
                        .call(created -> created == null
                                ? Uni.createFrom().voidItem()
                                : accounts.consent(tx, created, "tcpa", true, CONSENT_WORDING, ip)
                                        .chain(() -> accounts.consent(tx, created, "sms_opt_in", smsOptIn,
                                                CONSENT_WORDING, ip)))))
                .flatMap(created -> {
                    if (created == null) {
                        throw Problem.conflict("already_registered",
                                "an account with this phone or email exists: sign in instead");
                    }
                    Log.infof("user %s registered (%s)", created, status);
                    if (!verify) {
                        return Uni.createFrom().item(new Answers.Registered(created, status, null, null));
                    }
                    return otp.create(otpBody(phone, "signup", ip, Map.of("user_id", created.toString())))
                            .map(v -> new Answers.Registered(created, status, v.path("id").asText(),
                                    v.path("expires_in").asLong()));
                });
    }

    /** The signup code: activates the account (idempotent with the otp.verified consumer) and signs it in. */
    public Uni<TokenResponse> registerVerify(AccountRequests.RegisterVerify req, SessionOpener.Device device) {
        if (req == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        String phone = PhoneNumbers.parse(req.phone(), req.region()).e164();
        code(req.otpCode());
        return otp.check(Map.of("phone", phone, "purpose", "signup", "code", req.otpCode()))
                .map(OtpGateway::approvedPhone)
                .flatMap(approved -> pool.withTransaction(tx -> accounts.activate(tx, approved)))
                .flatMap(activated -> sessions.forPhone(phone, device));
    }

    // --- password login and the second factor ------------------------------------------------------------------

    /** Tokens, or {@code {mfa_required, verification_id}}; unknown email and wrong password answer alike. */
    public Uni<Object> login(AccountRequests.Login req, SessionOpener.Device device) {
        if (req == null || req.email() == null || req.password() == null) {
            throw Problem.field(req == null || req.email() == null ? "email" : "password",
                    "email and password are required");
        }
        String email = req.email().strip().toLowerCase(Locale.ROOT);
        return limits.check(email, device.ip())
                .chain(() -> accounts.byEmail(pool, email))
                .flatMap(account -> passwords.verify(req.password(), account == null ? null : account.passwordHash())
                        .flatMap(ok -> {
                            if (!ok || !"active".equals(account.status())) {
                                // Same answer for no account, a wrong password and an account that may not sign in.
                                return limits.failed(email, device.ip()).chain(() -> Uni.createFrom()
                                        .<Object>failure(new Problem(401, "invalid_credentials", "Unauthorized",
                                                "the email or password is not correct")));
                            }
                            return limits.succeeded(email).chain(() -> account.mfaEnabled()
                                    ? secondFactor(account, device)
                                    : sessions.forUser(account.id(), device).map(t -> (Object) t));
                        }));
    }

    private Uni<Object> secondFactor(Accounts.Account account, SessionOpener.Device device) {
        return otp.create(otpBody(account.phone(), "2fa", device.ip(), Map.of("user_id", account.id().toString())))
                .flatMap(v -> {
                    String id = v.path("id").asText();
                    return accounts.addPending(pool, id, "2fa", account.id(), account.phone(),
                            v.path("expires_in").asLong(600))
                            .map(x -> (Object) new Answers.MfaChallenge(true, id, v.path("expires_in").asLong()));
                });
    }

    public Uni<TokenResponse> loginVerify(AccountRequests.LoginVerify req, SessionOpener.Device device) {
        if (req == null || req.verificationId() == null || req.verificationId().isBlank()) {
            throw Problem.field("verification_id", "verification_id is required");
        }
        code(req.otpCode());
        return accounts.findPending(pool, req.verificationId(), "2fa").flatMap(pending -> {
            if (pending == null) {
                throw Problem.notFound("no pending second factor");
            }
            return otp.check(Map.of("verification_id", req.verificationId(), "code", req.otpCode()))
                    .map(OtpGateway::approvedPhone)
                    .flatMap(phone -> accounts.takePending(pool, req.verificationId(), "2fa"))
                    .flatMap(taken -> {
                        if (taken == null) {
                            throw Problem.notFound("no pending second factor");
                        }
                        return sessions.forUser(taken.userId(), device);
                    });
        });
    }

    public Uni<Answers.MfaState> setMfa(UUID userId, AccountRequests.Mfa req) {
        if (req == null || req.enabled() == null) {
            throw Problem.field("enabled", "enabled (true or false) is required");
        }
        return accounts.setMfa(pool, userId, req.enabled()).map(Answers.MfaState::new);
    }

    // --- password reset ------------------------------------------------------------------------------------------

    /**
     * Sends a reset code when the phone has an account, and answers the same 202 either way. A limit refusal from
     * otp-service is not passed on (it would tell a known phone from an unknown one); the caller's own request rate
     * is limited per phone here, alike for both.
     */
    public Uni<Answers.Accepted> passwordReset(AccountRequests.PasswordReset req, String ip) {
        if (req == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        String phone = PhoneNumbers.parse(req.phone(), req.region()).e164();
        Answers.Accepted answer = new Answers.Accepted("If this phone has an account, a reset code is on its way.");
        return limits.check("reset:" + phone, null).chain(() -> limits.failed("reset:" + phone, null))
                .chain(() -> accounts.byPhone(pool, phone))
                .flatMap(account -> account == null || "disabled".equals(account.status())
                        ? Uni.createFrom().voidItem()
                        : otp.create(otpBody(phone, "password_reset", ip, Map.of())).replaceWithVoid()
                                .onFailure(Problem.class).recoverWithUni(e -> {
                                    Log.infof("reset code for %s not sent: %s", PhoneMask.mask(phone),
                                            ((Problem) e).code());
                                    return Uni.createFrom().voidItem();
                                }))
                .replaceWith(answer);
    }

    public Uni<Void> passwordResetConfirm(AccountRequests.PasswordResetConfirm req) {
        if (req == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        String phone = PhoneNumbers.parse(req.phone(), req.region()).e164();
        code(req.otpCode());
        String weak = Passwords.acceptable(req.newPassword());
        if (weak != null) {
            throw Problem.field("new_password", weak);
        }
        return otp.check(Map.of("phone", phone, "purpose", "password_reset", "code", req.otpCode()))
                .map(OtpGateway::approvedPhone)
                .flatMap(approved -> passwords.hash(req.newPassword()))
                .flatMap(hash -> pool.withTransaction(tx -> accounts.byPhone(tx, phone).flatMap(account -> {
                    if (account == null) {
                        throw Problem.notFound("no account for this phone");
                    }
                    return accounts.setPassword(tx, account.id(), hash)
                            .chain(() -> accounts.revokeSessions(tx, account.id(), "password_reset"))
                            .chain(() -> outbox.add(tx, EventType.SECURITY_NOTICE, phone,
                                    notice(account.id(), phone, NoticeKind.PASSWORD_RESET)));
                })));
    }

    // --- phone change --------------------------------------------------------------------------------------------

    public Uni<Answers.CodeSent> phoneChange(UUID userId, String currentPhone, AccountRequests.PhoneChange req,
            String ip) {
        if (req == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        String phone = PhoneNumbers.parse(req.newPhone(), req.region(), "new_phone").e164();
        if (phone.equals(currentPhone)) {
            throw Problem.field("new_phone", "new_phone is the account's phone already");
        }
        return accounts.byPhone(pool, phone).flatMap(taken -> {
            if (taken != null) {
                throw Problem.conflict("phone_taken", "another account has this phone");
            }
            // A code that proves the new number: purpose signup, bound to this account by the pending action.
            return otp.create(otpBody(phone, "signup", ip, Map.of("user_id", userId.toString())));
        }).flatMap(v -> accounts.addPending(pool, v.path("id").asText(), "phone_change", userId, phone,
                v.path("expires_in").asLong(600))
                .map(x -> new Answers.CodeSent(v.path("id").asText(), v.path("expires_in").asLong())));
    }

    /** Moves the account to the proven number; the old number (and any linked chat) is told. */
    /**
     * Binds the new phone. A new authenticator ends every other session at once (their tokens name the old phone and
     * may be a thief's); the caller's own session, which has just proven both numbers, goes on.
     */
    public Uni<Void> phoneChangeConfirm(UUID userId, UUID sessionId, String oldPhone,
            AccountRequests.PhoneChangeConfirm req) {
        if (req == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        String phone = PhoneNumbers.parse(req.newPhone(), req.region(), "new_phone").e164();
        code(req.otpCode());
        return otp.check(Map.of("phone", phone, "purpose", "signup", "code", req.otpCode()))
                .map(OtpGateway::approvedPhone)
                .flatMap(approved -> pool.withTransaction(tx -> accounts.takePendingFor(tx, userId, "phone_change",
                        phone).flatMap(pending -> {
                            if (pending == null) {
                                throw Problem.notFound("no pending phone change to this number");
                            }
                            return accounts.changePhone(tx, userId, phone);
                        }).flatMap(changed -> {
                            if (!changed) {
                                throw Problem.conflict("phone_taken", "another account has this phone");
                            }
                            return accounts.revokeOtherSessions(tx, userId, sessionId, "phone_change")
                                    .chain(() -> outbox.add(tx, EventType.SECURITY_NOTICE, oldPhone,
                                            notice(userId, oldPhone, NoticeKind.PHONE_CHANGED)));
                        })));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    static SecurityNotice notice(UUID userId, String phone, NoticeKind kind) {
        return new SecurityNotice().withUserId(userId.toString()).withPhone(phone).withKind(kind)
                .withOccurredAt(Instant.now());
    }

    static Map<String, Object> otpBody(String phone, String purpose, String ip, Map<String, Object> metadata) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("phone", phone);
        body.put("purpose", purpose);
        if (ip != null) {
            body.put("client_ip", ip);
        }
        if (!metadata.isEmpty()) {
            body.put("metadata", metadata);
        }
        return body;
    }

    private static String email(String raw) {
        if (raw == null || raw.length() > 320 || !EMAIL.matcher(raw.strip()).matches()) {
            throw Problem.field("email", "email must be an address such as ana@example.com");
        }
        return raw.strip().toLowerCase(Locale.ROOT);
    }

    static void code(String code) {
        if (code == null || !code.matches("[0-9]{4,10}")) {
            throw Problem.field("otp_code", "otp_code must be 4 to 10 digits");
        }
    }

}
