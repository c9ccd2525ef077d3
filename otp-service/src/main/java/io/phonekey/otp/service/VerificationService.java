package io.phonekey.otp.service;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.phonekey.contract.crypto.CodeSeal;
import io.phonekey.contract.event.OtpCanceled;
import io.phonekey.contract.event.OtpRequested;
import io.phonekey.contract.event.OtpVerified;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.text.PhoneMask;
import io.phonekey.otp.config.OtpConfig;
import io.phonekey.otp.crypto.CodeGenerator;
import io.phonekey.otp.crypto.CodeHasher;
import io.phonekey.otp.event.EventPublisher;
import io.phonekey.otp.repository.VerificationStore;
import io.phonekey.otp.rest.CheckVerificationRequest;
import io.phonekey.otp.rest.CreateVerificationRequest;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/** Creates, checks and cancels verifications: the rules of the Verify API on top of the Redis store. */
@ApplicationScoped
public class VerificationService {

    private static final Pattern DIGITS = Pattern.compile("[0-9]{4,10}");
    private static final Pattern CLIENT_IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})?");
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final OtpConfig config;
    private final PhoneNumbers phones;
    private final CodeGenerator generator;
    private final CodeHasher hasher;
    private final CodeSeal seal;
    private final VerificationStore store;
    private final EventPublisher events;
    private final ObjectMapper mapper;
    private final ConversionWatch watch;
    private final Map<String, String> testNumbers;

    public VerificationService(OtpConfig config, PhoneNumbers phones, CodeGenerator generator, CodeHasher hasher,
            CodeSeal seal, VerificationStore store, EventPublisher events, ObjectMapper mapper,
            ConversionWatch watch) {
        this.config = config;
        this.phones = phones;
        this.generator = generator;
        this.hasher = hasher;
        this.seal = seal;
        this.store = store;
        this.events = events;
        this.mapper = mapper;
        this.watch = watch;
        this.testNumbers = testNumbers(config, phones);
    }

    /** Parses OTP_TEST_NUMBERS ({@code phone:code,...}) into E.164 → code; a bad entry stops the start-up. */
    static Map<String, String> testNumbers(OtpConfig config, PhoneNumbers phones) {
        Map<String, String> numbers = new java.util.HashMap<>();
        for (String entry : config.testNumbers().orElse(java.util.List.of())) {
            int colon = entry.lastIndexOf(':');
            String code = colon < 0 ? "" : entry.substring(colon + 1).trim();
            if (!DIGITS.matcher(code).matches()) {
                throw new IllegalStateException("OTP_TEST_NUMBERS entries are phone:code with a 4 to 10 digit code");
            }
            try {
                numbers.put(phones.parse(entry.substring(0, colon).trim(), null).e164(), code);
            } catch (Problem e) {
                throw new IllegalStateException("OTP_TEST_NUMBERS holds an invalid phone number", e);
            }
        }
        return Map.copyOf(numbers);
    }

    public Uni<Verification> create(CreateVerificationRequest req, String caller, String idempotencyKey) {
        if (req == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw Problem.badRequest("invalid_idempotency_key", "Idempotency-Key must have 1 to 255 characters")
                    .with("field", "Idempotency-Key");
        }
        Channel channel = Channel.parse(req.channel());
        Purpose purpose = Purpose.parse(req.purpose());
        io.phonekey.contract.text.PhoneNumbers.Parsed phone = phones.parseForSending(req.phone(), req.region(),
                channel != Channel.TELEGRAM);
        if (purpose == Purpose.TRANSACTION && (blank(req.amount()) || blank(req.payee()))) {
            throw Problem.field(blank(req.amount()) ? "amount" : "payee",
                    "amount and payee are required for transaction");
        }
        if (req.clientIp() != null && !CLIENT_IP.matcher(req.clientIp()).matches()) {
            throw Problem.field("client_ip", "client_ip must be an IPv4 or IPv6 address");
        }
        if (req.locale() != null && !LOCALE.matcher(req.locale()).matches()) {
            throw Problem.field("locale", "locale must be a language tag such as en or pt-BR");
        }
        String metadata = json(req.metadata() == null ? Map.of() : req.metadata());
        if (metadata.length() > 4096) {
            throw Problem.field("metadata", "metadata must be at most 4 KiB of JSON");
        }

        int length = setting(purpose).flatMap(OtpConfig.PurposeSettings::codeLength).orElse(config.codeLength());
        Duration expiry = setting(purpose).flatMap(OtpConfig.PurposeSettings::expiry).orElse(config.expiry());
        int attempts = setting(purpose).flatMap(OtpConfig.PurposeSettings::maxAttempts).orElse(config.maxAttempts());
        String id = VerificationStore.newId(phone.e164());
        String testCode = testNumbers.get(phone.e164());
        String code = testCode != null ? testCode : generator.generate(length);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = now.plus(expiry);

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("phone", phone.e164());
        fields.put("purpose", purpose.wire());
        fields.put("channel", channel.wire());
        fields.put("status", "pending");
        fields.put("hash", hasher.hash(id, code));
        fields.put("attempts_left", Integer.toString(attempts));
        fields.put("created_at", now.toString());
        fields.put("expires_at", expiresAt.toString());
        fields.put("metadata", metadata);
        putIfPresent(fields, "amount", req.amount());
        putIfPresent(fields, "payee", req.payee());
        putIfPresent(fields, "locale", req.locale());
        fields.put("country", phone.region());
        if (testCode != null) {
            fields.put("test", "1");
        }

        OtpConfig.Limit l = config.limit();
        VerificationStore.Limits limits = new VerificationStore.Limits(l.phoneGap().toMillis(), l.phone15m(),
                l.phone24h(), l.ip1h(), l.prefix1h());
        OtpRequested event = new OtpRequested().withVerificationId(id).withPhone(phone.e164())
                .withChannel(io.phonekey.contract.event.Channel.fromValue(channel.wire()))
                .withPurpose(io.phonekey.contract.event.Purpose.fromValue(purpose.wire())).withLocale(req.locale())
                .withCodeLength((long) length).withCode(seal.seal(id, phone.e164(), code)).withRequestedAt(now)
                .withExpiresAt(expiresAt)
                .withLinkTemplate(purpose == Purpose.LINK_TELEGRAM
                        ? config.publicBaseUrl() + "/telegram/app/verify?v=" + id + "&c={code}"
                        : null)
                .withMetadata(req.metadata() == null ? Map.of() : req.metadata()).withAmount(req.amount())
                .withPayee(req.payee());

        // Idempotency keys are per calling backend; the fingerprint catches a key reused for another request.
        String idemKey = idempotencyKey == null ? null : "otp:idem:" + caller + ":" + sha256(idempotencyKey);
        String fingerprint = sha256(String.join("|", phone.e164(), purpose.wire(), channel.wire(),
                String.valueOf(req.amount()), String.valueOf(req.payee())));
        VerificationStore.NewVerification stored = new VerificationStore.NewVerification(id, phone.e164(),
                phone.region(), purpose.wire(), req.clientIp(), expiry.toMillis(), config.retention().toMillis(),
                testCode != null, fields);
        return store.create(stored, limits, watch.settings(), idemKey, fingerprint)
                .flatMap(outcome -> outcome.result() == VerificationStore.CreateResult.IDEMPOTENT
                        ? replay(outcome.previousId(), fingerprint)
                        : created(outcome, testCode != null ? null : event, idemKey, req.clientIp(), id, phone,
                                purpose, channel, expiresAt, expiry, attempts, code));
    }

    /**
     * The answer to a retried create: the first create's answer, with the same fields (expires_in and resend_after
     * counted from now) and the verification's status as it is now; nothing is sent again.
     */
    private Uni<Verification> replay(String seen, String fingerprint) {
        int bar = seen.indexOf('|');
        if (!seen.substring(bar + 1).equals(fingerprint)) {
            throw new Problem(422, "idempotency_key_reused", "Unprocessable Content",
                    "this Idempotency-Key was used for a different request");
        }
        String id = seen.substring(0, bar);
        return store.get(id).map(stored -> {
            Verification v = view(id, stored);
            Instant now = Instant.now();
            long expiresIn = Math.max(0, Duration.between(now, v.expiresAt()).toSeconds());
            String createdAt = stored.get("created_at");
            long resendAfter = createdAt == null
                    ? 0
                    : Math.max(0, config.limit().phoneGap().minus(Duration.between(Instant.parse(createdAt), now))
                            .toSeconds());
            return new Verification(v.id(), v.phone(), v.channel(), v.purpose(), v.status(), v.expiresAt(), expiresIn,
                    v.attemptsLeft(), resendAfter, v.verifiedAt(), null, null);
        });
    }

    private Uni<Verification> created(VerificationStore.CreateOutcome outcome, OtpRequested event, String idemKey,
            String clientIp, String id, io.phonekey.contract.text.PhoneNumbers.Parsed phone, Purpose purpose,
            Channel channel, Instant expiresAt,
            Duration expiry, int attempts, String code) {
        OtpConfig.Limit l = config.limit();
        return Uni.createFrom().item(outcome)
                .invoke(o -> watch.recordOutcome(phone.region(), o))
                .invoke(o -> refuseIfLimited(o.result(), o.retryAfterMillis()))
                // A test number's code is fixed and never delivered: there is nothing to publish.
                .call(o -> event == null
                        ? Uni.createFrom().voidItem()
                        : events.requested(event.withReplaces(
                                o.previousId() == null || o.previousId().isEmpty() ? null : o.previousId()))
                                .onFailure().call(() -> o.rollback().get().onFailure().recoverWithNull()))
                .invoke(o -> watch.recordSend(phone.region(), event == null))
                .invoke(o -> Log.infof("verification %s created for %s (%s, %s)", id,
                        PhoneMask.mask(phone.e164()), purpose.wire(), channel.wire()))
                .map(o -> new Verification(id, phone.e164(), channel.wire(), purpose.wire(), "pending",
                        expiresAt, expiry.toSeconds(), attempts, l.phoneGap().toSeconds(), null, null,
                        config.exposeCode() ? code : null));
    }

    public Uni<Verification> check(CheckVerificationRequest req) {
        if (req == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        if (req.code() == null) {
            throw Problem.field("code", "code is required");
        }
        if (!DIGITS.matcher(req.code()).matches()) {
            throw Problem.field("code", "code must be 4 to 10 digits");
        }
        if (req.verificationId() == null && req.phone() == null) {
            throw Problem.field("verification_id", "verification_id or phone is required");
        }
        Purpose purpose = req.purpose() == null ? null : Purpose.parse(req.purpose());
        String phone = req.phone() == null ? null : phones.parse(req.phone(), req.region()).e164();
        Uni<String> id = req.verificationId() != null
                ? Uni.createFrom().item(req.verificationId())
                : store.currentId(phone, (purpose == null ? Purpose.LOGIN : purpose).wire());
        return id.onItem().ifNull().failWith(() -> Problem.notFound("no pending verification"))
                .flatMap(vid -> store.get(vid).flatMap(stored -> checkBound(vid, stored, phone, purpose, req)));
    }

    private Uni<Verification> checkBound(String id, Map<String, String> stored, String phone, Purpose purpose,
            CheckVerificationRequest req) {
        // A code is bound to its verification: a mismatching phone or purpose is treated as unknown.
        if (stored.isEmpty() || (phone != null && !phone.equals(stored.get("phone")))
                || (purpose != null && !purpose.wire().equals(stored.get("purpose")))) {
            return Uni.createFrom().failure(Problem.notFound("no pending verification"));
        }
        return store.attempt(id, stored.get("phone")).flatMap(attempt -> switch (attempt.result()) {
            case COMPARE -> compare(id, stored, attempt, req);
            case MAX_ATTEMPTS -> Uni.createFrom().failure(maxAttempts());
            case PHONE_LOCKED -> Uni.createFrom().failure(locked(attempt.retryMillis()));
            default -> Uni.createFrom().failure(Problem.notFound("no pending verification"));
        });
    }

    private Uni<Verification> compare(String id, Map<String, String> stored, VerificationStore.Attempt attempt,
            CheckVerificationRequest req) {
        boolean codeOk = hasher.matches(attempt.hash(), id, req.code());
        // PSD2 dynamic linking: a transaction code approves only the amount and payee it was sent with.
        boolean linkOk = !"transaction".equals(stored.get("purpose"))
                || (Objects.equals(attempt.amount(), req.amount()) && Objects.equals(attempt.payee(), req.payee()));
        if (!codeOk || !linkOk) {
            return store.fail(id, stored.get("phone"), config.phoneFailureLock(), config.phoneLockDuration().toMillis(),
                    attempt.attemptsLeft())
                    .map(failed -> {
                        if (failed.result() == VerificationStore.AttemptResult.PHONE_LOCKED) {
                            throw locked(failed.retryMillis());
                        }
                        throw new Problem(422, "invalid_code", "Unprocessable Content", "the code is not correct")
                                .with("attempts_left", attempt.attemptsLeft());
                    });
        }
        Instant verifiedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> metadata = parse(stored.get("metadata"));
        OtpVerified event = new OtpVerified().withVerificationId(id).withPhone(stored.get("phone"))
                .withChannel(io.phonekey.contract.event.Channel.fromValue(stored.get("channel")))
                .withPurpose(io.phonekey.contract.event.Purpose.fromValue(stored.get("purpose")))
                .withVerifiedAt(verifiedAt).withMetadata(metadata).withContext(req.context());
        return store.approve(id, stored.get("phone"), stored.get("purpose"), stored.get("country"),
                verifiedAt.toString(), watch.settings())
                .invoke(won -> {
                    if (!won) {
                        throw Problem.notFound("no pending verification");
                    }
                    watch.recordApproval(stored.get("country"), stored.containsKey("test"));
                })
                .call(won -> events.verified(event)
                        .onFailure().call(() -> store.revertApproval(id, stored.get("phone"), stored.get("purpose"),
                                stored.get("country"), watch.settings()).onFailure().recoverWithNull()))
                .map(won -> new Verification(id, stored.get("phone"), stored.get("channel"), stored.get("purpose"),
                        "approved", null, null, null, null, verifiedAt, metadata, null));
    }

    public Uni<Verification> get(String id) {
        return store.get(id).map(stored -> view(id, stored));
    }

    /** The public view of a stored verification; 404 when there is none. */
    private static Verification view(String id, Map<String, String> stored) {
        if (stored.isEmpty()) {
            throw Problem.notFound("no such verification");
        }
        Instant expiresAt = Instant.parse(stored.get("expires_at"));
        // The record outlives its code by the retention period, so a late GET learns that the code expired.
        String status = "pending".equals(stored.get("status")) && !Instant.now().isBefore(expiresAt)
                ? "expired"
                : stored.get("status");
        return new Verification(id, stored.get("phone"), stored.get("channel"), stored.get("purpose"),
                status, expiresAt, null,
                Math.max(0, Integer.parseInt(stored.get("attempts_left"))), null,
                stored.containsKey("verified_at") ? Instant.parse(stored.get("verified_at")) : null, null, null);
    }

    /**
     * Cancels a pending code and announces it on otp.canceled before answering, like an approval: when the event
     * cannot be published the cancellation is undone (the code works again) and the caller gets 503, so every 204
     * has its event and a retried DELETE can still succeed.
     */
    public Uni<Void> cancel(String id) {
        return store.cancel(id).invoke(canceled -> {
            if (canceled == null) {
                throw Problem.notFound("no pending verification");
            }
        }).call(canceled -> events.canceled(new OtpCanceled().withVerificationId(id).withPhone(canceled.phone())
                .withChannel(io.phonekey.contract.event.Channel.fromValue(canceled.channel()))
                .withPurpose(io.phonekey.contract.event.Purpose.fromValue(canceled.purpose()))
                .withCanceledAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)))
                .onFailure().call(() -> store.revertCancel(id, canceled).onFailure().recoverWithNull()))
                .replaceWithVoid();
    }

    private static String sha256(String value) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private java.util.Optional<OtpConfig.PurposeSettings> setting(Purpose purpose) {
        return java.util.Optional.ofNullable(config.purposes().get(purpose.wire()));
    }

    private static void refuseIfLimited(VerificationStore.CreateResult result, long retryMillis) {
        if (!result.refused()) {
            return;
        }
        String limit = result.limit();
        throw Problem.tooMany("rate_limited", "too many codes requested (limit " + limit + ")",
                (retryMillis + 999) / 1000).with("limit", limit);
    }

    private static Problem locked(long retryMillis) {
        return Problem.tooMany("max_attempts_reached", "too many wrong codes for this phone; try again later",
                (retryMillis + 999) / 1000).with("limit", "phone_locked");
    }

    private static Problem maxAttempts() {
        return Problem.tooMany("max_attempts_reached", "this code has had too many attempts; request a new one", 30);
    }

    private String json(Map<String, Object> value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw Problem.field("metadata", "metadata must be a JSON object");
        }
    }

    private Map<String, Object> parse(String json) {
        try {
            return json == null ? Map.of() : mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static void putIfPresent(Map<String, String> fields, String key, String value) {
        if (value != null) {
            fields.put(key, value);
        }
    }
}
