package io.phonekey.otp.repository;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.problem.Problem;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * Verifications, limits and failure counters in Redis. Every multi-key decision is one Lua script, so it is atomic
 * however many instances of the service run. Redis being down fails closed: a 503, never a send.
 */
@ApplicationScoped
public class VerificationStore {

    private final ReactiveRedisDataSource redis;
    private final Script create = Script.load("create");
    private final Script attempt = Script.load("attempt");
    private final Script fail = Script.load("fail");
    private final Script approve = Script.load("approve");
    private final Script revert = Script.load("revert");
    private final Script cancel = Script.load("cancel");
    private final Script uncancel = Script.load("uncancel");
    private final Script rollback = Script.load("rollback");
    private final Script fraudView = Script.load("fraud-view");
    private final Script unblock = Script.load("unblock");

    public VerificationStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static String verificationKey(String id) {
        return "otp:v:" + id;
    }

    public static String pointerKey(String phone, String purpose) {
        return "otp:p:" + phone + ":" + purpose;
    }

    /** The number prefix that send limits and the conversion watch count by: the number without its last 4 digits. */
    public static String prefix(String e164) {
        return e164.substring(0, e164.length() - 4);
    }

    /**
     * The outcome of a create: {@code ok} with the replaced verification id, or the name of the refusing limit;
     * {@code newBlock} when this create put a prefix under a conversion block.
     */
    public record CreateOutcome(CreateResult result, String previousId, long retryAfterMillis, boolean newBlock) {
    }

    /** What create.lua answers, as a type: the script's word and, for a refusal, the limit it names. */
    public enum CreateResult {
        OK("ok", null), IDEMPOTENT("idempotent", null), PHONE_LOCKED("phone_locked", "phone_locked"), PHONE_GAP(
                "rate_limited_phone_gap",
                "phone_gap"), PHONE_15M("rate_limited_phone_15m", "phone_15m"), PHONE_24H("rate_limited_phone_24h",
                        "phone_24h"), IP("rate_limited_ip", "ip"), PREFIX("rate_limited_prefix",
                                "prefix"), FRAUD_PREFIX("rate_limited_fraud_prefix", "fraud_prefix");

        private final String script;
        private final String limit;

        CreateResult(String script, String limit) {
            this.script = script;
            this.limit = limit;
        }

        /** The limit that refused the create, or null for {@link #OK} and {@link #IDEMPOTENT}. */
        public String limit() {
            return limit;
        }

        public boolean refused() {
            return limit != null;
        }

        static CreateResult of(String script) {
            for (CreateResult r : values()) {
                if (r.script.equals(script)) {
                    return r;
                }
            }
            throw new IllegalStateException("create.lua answered an unknown outcome: " + script);
        }
    }

    /** What attempt.lua and fail.lua answer, as a type. */
    public enum AttemptResult {
        COMPARE, MAX_ATTEMPTS, PHONE_LOCKED, NOT_FOUND, EXPIRED, FAILED, GONE;

        static AttemptResult of(String script) {
            return valueOf(script.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** What a create stores and how it is judged; {@code test} marks a test number (nothing sent or counted). */
    public record NewVerification(String id, String phone, String country, String purpose, String clientIp,
            long ttlMillis, long retentionMillis, boolean test, Map<String, String> fields) {
    }

    /**
     * Creates a verification. With an idempotency key already used, the outcome is {@code idempotent} and
     * {@code previousId} holds {@code <id>|<fingerprint>} of the first create.
     */
    public Uni<CreateOutcome> create(NewVerification v, Limits limits, Watch watch, String idempotencyKey,
            String fingerprint) {
        String phone = v.phone();
        List<String> keys = List.of(verificationKey(v.id()), pointerKey(phone, v.purpose()), "otp:rl:gap:" + phone,
                "otp:rl:15m:" + phone, "otp:rl:24h:" + phone, v.clientIp() == null ? "" : "otp:rl:ip:" + v.clientIp(),
                "otp:lock:" + phone, idempotencyKey == null ? "" : idempotencyKey, "otp:rl:prefix:" + prefix(phone),
                blockKey(prefix(phone)));
        List<String> args = new ArrayList<>(List.of(v.id(), Long.toString(v.ttlMillis()),
                Long.toString(limits.gapMillis()), Integer.toString(limits.phone15m()),
                Integer.toString(limits.phone24h()), Integer.toString(limits.ip1h()), fingerprint,
                Integer.toString(limits.prefix1h()), Long.toString(v.retentionMillis()), v.test() ? "test" : "send",
                watch.mode(), Long.toString(watch.bucketMillis()), Integer.toString(Watch.BUCKETS),
                Integer.toString(watch.minSends()), Integer.toString(watch.minConversionPerMille()),
                Long.toString(watch.blockMillis()), v.country(), prefix(phone)));
        v.fields().forEach((k, val) -> {
            args.add(k);
            args.add(val);
        });
        return run(create, keys, args).map(r -> {
            CreateResult result = CreateResult.of(r.get(0).toString());
            return result.refused()
                    ? new CreateOutcome(result, null, r.get(1).toLong(), r.size() > 2)
                    : new CreateOutcome(result, r.get(1).toString(), 0, false);
        });
    }

    /** Send limits as the create script takes them. */
    public record Limits(long gapMillis, int phone15m, int phone24h, int ip1h, int prefix1h) {
    }

    /** The conversion watch as the scripts take it: the window is {@link #BUCKETS} buckets. */
    public record Watch(String mode, long bucketMillis, int minSends, int minConversionPerMille, long blockMillis) {
        public static final int BUCKETS = 12;

        public int buckets() {
            return "off".equals(mode) ? 0 : BUCKETS;
        }
    }

    private static String blockKey(String prefix) {
        return "otp:fw:block:" + prefix;
    }

    /** A prefix under a block or flag: why (country, sends and approvals then, when) and what it has now. */
    public record Marked(String prefix, String country, long sendsThen, long approvedThen, long since,
            long remainingMillis, long sends, long approved) {
    }

    /** A prefix or country with its sends and approvals in the window. */
    public record Tally(String key, long sends, long approved) {
    }

    /** Everything the admin view shows. */
    public record FraudView(List<Marked> blocked, List<Marked> flagged, List<Tally> watched, List<Tally> countries) {
    }

    public Uni<FraudView> fraudView(Watch watch, int watchFrom, int most) {
        return run(fraudView, List.of(), List.of(Long.toString(watch.bucketMillis()),
                Integer.toString(Watch.BUCKETS), Integer.toString(watchFrom), Integer.toString(most)))
                .map(r -> new FraudView(marked(r.get(0)), marked(r.get(1)), tallies(r.get(2)), tallies(r.get(3))));
    }

    /** Lifts a block or flag and forgets the prefix's sends in the window; false when it had neither. */
    public Uni<Boolean> unblock(String prefix, Watch watch) {
        return run(unblock, List.of(blockKey(prefix)), List.of(prefix, Long.toString(watch.bucketMillis()),
                Integer.toString(Watch.BUCKETS))).map(r -> r.toInteger() == 1);
    }

    private static List<Marked> marked(Response list) {
        List<Marked> out = new ArrayList<>();
        for (Response m : list) {
            String[] info = m.get(1).toString().split("\\|");
            out.add(new Marked(m.get(0).toString(), info[0], Long.parseLong(info[1]), Long.parseLong(info[2]),
                    Long.parseLong(info[3]), m.get(2).toLong(), m.get(3).toLong(), m.get(4).toLong()));
        }
        return out;
    }

    private static List<Tally> tallies(Response list) {
        List<Tally> out = new ArrayList<>();
        for (Response t : list) {
            out.add(new Tally(t.get(0).toString(), t.get(1).toLong(), t.get(2).toLong()));
        }
        return out;
    }

    /** Outcome of counting one attempt. */
    public record Attempt(AttemptResult result, String hash, int attemptsLeft, String amount, String payee,
            long retryMillis) {
    }

    public Uni<Attempt> attempt(String id) {
        return run(attempt, List.of(verificationKey(id)), List.of()).map(r -> {
            AttemptResult result = AttemptResult.of(r.get(0).toString());
            return switch (result) {
                case COMPARE -> new Attempt(result, r.get(1).toString(), r.get(2).toInteger(), r.get(3).toString(),
                        r.get(4).toString(), 0);
                case PHONE_LOCKED -> new Attempt(result, null, 0, null, null, r.get(1).toLong());
                default -> new Attempt(result, null, 0, null, null, 0);
            };
        });
    }

    /** Records a wrong code; returns {@code phone_locked} with the lock in milliseconds when the phone got locked. */
    public Uni<Attempt> fail(String id, int failuresBeforeLock, long lockMillis, int attemptsLeft) {
        return run(fail, List.of(verificationKey(id)),
                List.of(Integer.toString(failuresBeforeLock), Long.toString(lockMillis),
                        Integer.toString(attemptsLeft)))
                .map(r -> AttemptResult.of(r.get(0).toString()) == AttemptResult.PHONE_LOCKED
                        ? new Attempt(AttemptResult.PHONE_LOCKED, null, 0, null, null, r.get(1).toLong())
                        : new Attempt(AttemptResult.of(r.get(0).toString()), null, attemptsLeft, null, null, 0));
    }

    public Uni<Boolean> approve(String id, String verifiedAt, Watch watch) {
        return run(approve, List.of(verificationKey(id)),
                List.of(verifiedAt, Long.toString(watch.bucketMillis()), Integer.toString(watch.buckets())))
                .map(r -> r.toInteger() == 1);
    }

    public Uni<Boolean> revertApproval(String id) {
        return run(revert, List.of(verificationKey(id)), List.of()).map(r -> r.toInteger() == 1);
    }

    /** What a cancellation's event needs of the verification it canceled. */
    public record Canceled(String phone, String purpose, String channel) {
    }

    /** Cancels a pending verification; null when there was none. */
    public Uni<Canceled> cancel(String id) {
        return run(cancel, List.of(verificationKey(id)), List.of()).map(r -> r.type() == ResponseType.MULTI
                ? new Canceled(r.get(0).toString(), r.get(1).toString(), r.get(2).toString())
                : null);
    }

    /** Undoes a cancellation whose event could not be published (not if a newer code exists or it expired). */
    public Uni<Boolean> revertCancel(String id) {
        return run(uncancel, List.of(verificationKey(id)), List.of()).map(r -> r.toInteger() == 1);
    }

    /**
     * Undoes a create whose event could not be published: removes it, gives back its sends, and revives the code it
     * replaced, so a broker outage neither kills the user's code nor counts against their limits.
     */
    public Uni<Void> rollback(String id, String replacedId, String phone, String purpose, String clientIp,
            String idempotencyKey) {
        List<String> keys = List.of(verificationKey(id), pointerKey(phone, purpose), "otp:rl:gap:" + phone,
                "otp:rl:15m:" + phone, "otp:rl:24h:" + phone, clientIp == null ? "" : "otp:rl:ip:" + clientIp,
                "otp:rl:prefix:" + prefix(phone),
                idempotencyKey == null ? "" : idempotencyKey);
        return run(rollback, keys, List.of(id, replacedId == null ? "" : replacedId)).replaceWithVoid();
    }

    public Uni<Map<String, String>> get(String id) {
        return redis.hash(String.class).hgetall(verificationKey(id)).ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().transform(VerificationStore::unavailable);
    }

    public Uni<String> currentId(String phone, String purpose) {
        return redis.value(String.class).get(pointerKey(phone, purpose)).ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().transform(VerificationStore::unavailable);
    }

    private Uni<Response> run(Script script, List<String> keys, List<String> args) {
        List<String> cmd = new ArrayList<>(keys.size() + args.size() + 2);
        cmd.add(script.sha());
        cmd.add(Integer.toString(keys.size()));
        cmd.addAll(keys);
        cmd.addAll(args);
        return redis.execute("EVALSHA", cmd.toArray(String[]::new))
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT")).recoverWithUni(() -> {
                    cmd.set(0, script.source());
                    return redis.execute("EVAL", cmd.toArray(String[]::new));
                })
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().transform(VerificationStore::unavailable);
    }

    /**
     * Redis answers in milliseconds; a call without an answer after this is an outage (503), never a request that
     * hangs: the reactive client itself waits as long as the connection stays open, e.g. on a paused server.
     */
    static final java.time.Duration REDIS_TIMEOUT = java.time.Duration.ofSeconds(2);

    private static Throwable unavailable(Throwable e) {
        return e instanceof Problem ? e : Problem.unavailable("verification store unavailable");
    }

    private record Script(String source, String sha) {

        static Script load(String name) {
            try {
                // `-- include x` lines pull in lua/lib/x.lua: Redis scripts cannot share functions otherwise.
                String source = INCLUDE.matcher(read(name))
                        .replaceAll(m -> Matcher.quoteReplacement(read("lib/" + m.group(1))));
                String sha = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
                return new Script(source, sha);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static final Pattern INCLUDE = Pattern.compile("(?m)^-- include ([a-z-]+)$");

        private static String read(String name) {
            try (InputStream in = VerificationStore.class.getResourceAsStream("/lua/" + name + ".lua")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
