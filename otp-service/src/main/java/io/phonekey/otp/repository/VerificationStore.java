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
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.phonekey.contract.problem.Problem;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Verifications, limits and failure counters in Redis, standalone or Redis Cluster ({@code quarkus.redis.client-type}).
 * Every decision is Lua on keys that share one hash slot: a phone's keys carry the tag {@code {<4 hex>}} (also the
 * first 4 characters of its verification ids, so an id alone finds its slot), the conversion watch and the prefix
 * limit {@code {fw}}, an IP count and an idempotency key are one key each. A create spans those slots: on a standalone
 * Redis its parts run in one script call (atomic as before); on a cluster one call per slot in order, each part
 * checking and counting atomically, and the parts already done are undone when a later one refuses. Redis being down
 * fails closed: a 503, never a send.
 */
@ApplicationScoped
public class VerificationStore {

    private final ReactiveRedisDataSource redis;
    private final boolean cluster;
    private final Script chain = Script.load("chain");
    private final Script attempt = Script.load("attempt");
    private final Script fail = Script.load("fail");
    private final Script cancel = Script.load("cancel");
    private final Script uncancel = Script.load("uncancel");
    private final Script fraudIndex = Script.load("fraud-index");
    private final Script fraudView = Script.load("fraud-view");
    private final Script unblock = Script.load("unblock");

    public VerificationStore(ReactiveRedisDataSource redis,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.cluster = "cluster".equalsIgnoreCase(clientType.trim());
    }

    /** Whether Redis is a cluster: then a create is one call per hash slot it touches. */
    public boolean cluster() {
        return cluster;
    }

    /**
     * A new verification id for a phone: a random UUID whose first 4 hex digits are the phone's hash tag, so the id
     * alone names the slot of the verification, of its phone's pointer and counters (scripts must declare them).
     */
    public static String newId(String phone) {
        return tagHex(phone) + UUID.randomUUID().toString().substring(4);
    }

    /** The hash tag of a phone's keys: 4 hex digits of SHA-256 of the number (65,536 tags over 16,384 slots). */
    static String tagHex(String phone) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(phone.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String verificationKey(String id) {
        return "otp:{" + (id.length() < 4 ? id : id.substring(0, 4)) + "}:v:" + id;
    }

    public static String pointerKey(String phone, String purpose) {
        return phoneKey("p", phone) + ":" + purpose;
    }

    /** A per-phone key: gap, 15m, 24h (send counts), lock, lockn (locks so far), fail (consecutive failures). */
    static String phoneKey(String kind, String phone) {
        return "otp:{" + tagHex(phone) + "}:" + kind + ":" + phone;
    }

    /** The number prefix that send limits and the conversion watch count by: the number without its last 4 digits. */
    public static String prefix(String e164) {
        return e164.substring(0, e164.length() - 4);
    }

    /** The conversion watch's keys, all in the slot of {@code {fw}}: it judges a prefix on every create at once. */
    static final String FW = "otp:{fw}:";
    static final List<String> INDEXES = List.of(FW + "blocked", FW + "flagged", FW + "marks", FW + "active",
            FW + "countries");

    /** The conversion watch's window of a number prefix (lua/lib/window.lua). */
    static String prefixWindow(String prefix) {
        return FW + "p:" + prefix;
    }

    /** The conversion watch's window of a country. */
    static String countryWindow(String country) {
        return FW + "c:" + country;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * The outcome of a create: {@code ok} with the replaced verification id, or the name of the refusing limit;
     * {@code newBlock} when this create put a prefix under a conversion block; {@code rollback} undoes an {@code ok}
     * whose event could not be published.
     */
    public record CreateOutcome(CreateResult result, String previousId, long retryAfterMillis, boolean newBlock,
            java.util.function.Supplier<Uni<Void>> rollback) {
    }

    /** What create answers, as a type: the script's word and, for a refusal, the limit it names. */
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
            throw new IllegalStateException("create answered an unknown outcome: " + script);
        }
    }

    /** What attempt.lua and fail.lua answer, as a type. */
    public enum AttemptResult {
        COMPARE, MAX_ATTEMPTS, PHONE_LOCKED, NOT_FOUND, EXPIRED, FAILED, GONE;

        static AttemptResult of(String script) {
            return valueOf(script.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * What a create stores and how it is judged; {@code test} marks a test number (nothing sent or counted). The id
     * comes from {@link #newId(String)}.
     */
    public record NewVerification(String id, String phone, String country, String purpose, String clientIp,
            long ttlMillis, long retentionMillis, boolean test, Map<String, String> fields) {
    }

    /**
     * Creates a verification. With an idempotency key already used, the outcome is {@code idempotent} and
     * {@code previousId} holds {@code <id>|<fingerprint>} of the first create. Parts, in the order of the limits a
     * refusal names: idempotency key, phone (lock, gap, 15 m, 24 h; stores the code, retires the pending one), client
     * IP, prefix and conversion watch.
     */
    public Uni<CreateOutcome> create(NewVerification v, Limits limits, Watch watch, String idempotencyKey,
            String fingerprint) {
        String phone = v.phone();
        String prefix = prefix(phone);
        boolean send = !v.test();
        // On a cluster the phone, the IP and {fw} are three slots: no one script can hold them. The phone part goes
        // first (its refusals are the common ones and cost one call); a later refusal undoes the parts before it.
        List<Step> steps = new ArrayList<>();
        if (idempotencyKey != null) {
            List<String> keys = List.of(idempotencyKey);
            steps.add(new Step("idem", keys, List.of(v.id() + "|" + fingerprint, Long.toString(v.ttlMillis())), null,
                    out -> new Step("idem", keys, List.of(v.id()))));
        }
        steps.add(phoneStep(v, limits, watch, ""));
        if (send && v.clientIp() != null) {
            List<String> keys = List.of("otp:rl:ip:" + v.clientIp());
            steps.add(new Step("ip", keys, List.of(Integer.toString(limits.ip1h())), null,
                    out -> new Step("ip", keys, List.of())));
        }
        if (send) {
            List<String> keys = concat(concat(List.of(FW + "rl:prefix:" + prefix), INDEXES),
                    List.of(prefixWindow(prefix), countryWindow(v.country())));
            List<String> args = List.of(Integer.toString(limits.prefix1h()), watch.mode(),
                    Long.toString(watch.bucketMillis()), Integer.toString(watch.minSends()),
                    Integer.toString(watch.minConversionPerMille()), Long.toString(watch.blockMillis()), v.country(),
                    prefix, Integer.toString(Watch.BUCKETS));
            steps.add(new Step("watch", keys, args, null, out -> {
                List<String> undo = new ArrayList<>(args);
                undo.set(3, out);
                return new Step("watch", keys, undo);
            }));
        }
        return runChain(steps).map(o -> {
            if (o.refusal() != null) {
                List<String> r = o.refusal();
                if ("retry".equals(r.get(0))) {
                    // The pending code kept changing under this create (dozens of creates for one phone at once).
                    throw Problem.unavailable("verification store busy");
                }
                CreateResult result = CreateResult.of(r.get(0));
                return result == CreateResult.IDEMPOTENT
                        ? new CreateOutcome(result, r.get(1), 0, false, null)
                        : new CreateOutcome(result, null, Long.parseLong(r.get(1)), r.size() > 2, null);
            }
            String previous = o.outputs().get(idempotencyKey == null ? 0 : 1);
            return new CreateOutcome(CreateResult.OK, previous, 0, false, () -> undo(o.applied(), o.outputs()));
        });
    }

    /** The phone part of a create, naming {@code replaced} as the pending code it retires. */
    private Step phoneStep(NewVerification v, Limits limits, Watch watch, String replaced) {
        String phone = v.phone();
        List<String> base = List.of(verificationKey(v.id()), pointerKey(phone, v.purpose()), phoneKey("gap", phone),
                phoneKey("15m", phone), phoneKey("24h", phone), phoneKey("lock", phone));
        List<String> args = new ArrayList<>(List.of(v.id(), Long.toString(v.ttlMillis()),
                Long.toString(limits.gapMillis()), Integer.toString(limits.phone15m()),
                Integer.toString(limits.phone24h()), Long.toString(v.retentionMillis()), v.test() ? "test" : "send",
                watch.buckets() > 0 ? "1" : "0", replaced));
        v.fields().forEach((k, val) -> {
            args.add(k);
            args.add(val);
        });
        return new Step("phone", replaced.isEmpty() ? base : concat(base, List.of(verificationKey(replaced))), args,
                prev -> phoneStep(v, limits, watch, prev),
                out -> new Step("phone", out.isEmpty() ? base : concat(base, List.of(verificationKey(out))),
                        List.of(v.id(), out)));
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

    /**
     * Two calls on the {@code {fw}} slot: the indexes name the prefixes and countries to show, then their windows are
     * read as declared keys (a script may not compute key names). What changes in between shows on the next view.
     */
    public Uni<FraudView> fraudView(Watch watch, int watchFrom, int most) {
        String bucketMs = Long.toString(watch.bucketMillis());
        String buckets = Integer.toString(Watch.BUCKETS);
        return run(fraudIndex, INDEXES, List.of(bucketMs, buckets, Integer.toString(most))).flatMap(index -> {
            List<String> keys = new ArrayList<>(INDEXES.subList(0, 3));
            List<String> args = new ArrayList<>(List.of(bucketMs, buckets, Integer.toString(watchFrom)));
            List<String> names = new ArrayList<>();
            for (int list = 0; list < 4; list++) {
                List<String> items = words(index.get(list));
                args.add(Integer.toString(items.size()));
                names.addAll(items);
                for (String item : items) {
                    keys.add(list < 3 ? prefixWindow(item) : countryWindow(item));
                }
            }
            args.addAll(names);
            return run(fraudView, keys, args);
        }).map(r -> new FraudView(marked(r.get(0)), marked(r.get(1)), tallies(r.get(2)), tallies(r.get(3))));
    }

    /** Lifts a block or flag and forgets the prefix's sends in the window; false when it had neither. */
    public Uni<Boolean> unblock(String prefix, Watch watch) {
        return run(unblock, concat(INDEXES.subList(0, 3), List.of(prefixWindow(prefix))), List.of(prefix))
                .map(r -> r.toInteger() == 1);
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

    /** Counts an attempt on the verification of {@code phone} (read with {@link #get(String)} before). */
    public Uni<Attempt> attempt(String id, String phone) {
        return run(attempt, List.of(verificationKey(id), phoneKey("lock", phone)), List.of()).map(r -> {
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
    public Uni<Attempt> fail(String id, String phone, int failuresBeforeLock, long lockMillis, int attemptsLeft) {
        return run(fail, List.of(verificationKey(id), phoneKey("fail", phone), phoneKey("lockn", phone),
                phoneKey("lock", phone)),
                List.of(Integer.toString(failuresBeforeLock), Long.toString(lockMillis),
                        Integer.toString(attemptsLeft)))
                .map(r -> AttemptResult.of(r.get(0).toString()) == AttemptResult.PHONE_LOCKED
                        ? new Attempt(AttemptResult.PHONE_LOCKED, null, 0, null, null, r.get(1).toLong())
                        : new Attempt(AttemptResult.of(r.get(0).toString()), null, attemptsLeft, null, null, 0));
    }

    /**
     * Approves a pending verification for exactly one caller and counts the approval for the conversion watch. The
     * approval is on the phone's slot, the count on {@code {fw}}: on a cluster the count follows as its own call and
     * its failure costs a statistic, never the approval.
     */
    public Uni<Boolean> approve(String id, String phone, String purpose, String country, String verifiedAt,
            Watch watch) {
        Step approve = new Step("approve", List.of(verificationKey(id), pointerKey(phone, purpose),
                phoneKey("fail", phone), phoneKey("lockn", phone)),
                List.of(verifiedAt, Long.toString(watch.bucketMillis()), watch.buckets() > 0 ? "1" : "0"));
        return withApprovalCount(approve, "add", phone, country, watch);
    }

    /** Undoes an approval whose event could not be published (and its count); false when it cannot be undone. */
    public Uni<Boolean> revertApproval(String id, String phone, String purpose, String country, Watch watch) {
        Step revert = new Step("revert", List.of(verificationKey(id), pointerKey(phone, purpose)), List.of());
        return withApprovalCount(revert, "sub", phone, country, watch);
    }

    private Uni<Boolean> withApprovalCount(Step first, String op, String phone, String country, Watch watch) {
        List<String> windows = List.of(prefixWindow(prefix(phone)), countryWindow(String.valueOf(country)));
        List<String> count = List.of(op, Long.toString(watch.bucketMillis()), Integer.toString(Watch.BUCKETS));
        if (!cluster) {
            return call("run", List.of(first, new Step("approval", windows, concat(count, List.of("")))))
                    .map(r -> "ok".equals(r.get(0).toString()));
        }
        return call("run", List.of(first)).flatMap(r -> {
            if (!"ok".equals(r.get(0).toString())) {
                return Uni.createFrom().item(false);
            }
            String bucket = r.get(1) == null ? "" : r.get(1).toString();
            return bucket.isEmpty()
                    ? Uni.createFrom().item(true)
                    : call("run", List.of(new Step("approval", windows, concat(count, List.of(bucket)))))
                            .replaceWith(true)
                            .onFailure().recoverWithItem(true);
        });
    }

    /** What a cancellation's event needs of the verification it canceled. */
    public record Canceled(String phone, String purpose, String channel) {
    }

    /**
     * Cancels a pending verification: reads it first, for the phone whose pointer it may have to drop (and for the
     * event); null when there was none pending.
     */
    public Uni<Canceled> cancel(String id) {
        return get(id).flatMap(stored -> stored.isEmpty()
                ? Uni.createFrom().nullItem()
                : run(cancel, List.of(verificationKey(id), pointerKey(stored.get("phone"), stored.get("purpose"))),
                        List.of()).map(
                                r -> r.toInteger() == 1
                                        ? new Canceled(stored.get("phone"), stored.get("purpose"),
                                                stored.get("channel"))
                                        : null));
    }

    /** Undoes a cancellation whose event could not be published (not if a newer code exists or it expired). */
    public Uni<Boolean> revertCancel(String id, Canceled canceled) {
        return run(uncancel, List.of(verificationKey(id), pointerKey(canceled.phone(), canceled.purpose())),
                List.of()).map(r -> r.toInteger() == 1);
    }

    public Uni<Map<String, String>> get(String id) {
        return redis.hash(String.class).hgetall(verificationKey(id)).ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().transform(VerificationStore::unavailable);
    }

    public Uni<String> currentId(String phone, String purpose) {
        return redis.value(String.class).get(pointerKey(phone, purpose)).ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().transform(VerificationStore::unavailable);
    }

    /**
     * One part of chain.lua: its keys share one slot; {@code retry} rebuilds it naming the id a {@code retry} refusal
     * gave, {@code undo} builds its undo from what its apply answered.
     */
    private record Step(String part, List<String> keys, List<String> args, Function<String, Step> retry,
            Function<String, Step> undo) {
        Step(String part, List<String> keys, List<String> args) {
            this(part, keys, args, null, null);
        }
    }

    /** What a chain of parts answered: a refusal (its words), or the applies' answers of the parts applied. */
    private record Chain(List<String> refusal, List<Step> applied, List<String> outputs) {
    }

    /** Retries after a {@code retry} refusal: each one means another create for the phone got in first. */
    static final int MAX_RETRIES = 64;

    /**
     * Runs parts in order. Standalone: one call, every check then every apply, atomic. Cluster: one call per part
     * (check and apply atomic on its slot); when one refuses or fails, the parts applied before it are undone.
     */
    private Uni<Chain> runChain(List<Step> steps) {
        return cluster ? runInTurn(steps, 0, List.of(), 0) : runAtOnce(steps, 0);
    }

    private Uni<Chain> runAtOnce(List<Step> steps, int tries) {
        return call("run", steps).flatMap(r -> {
            List<String> words = words(r);
            if (!"ok".equals(words.get(0))) {
                if ("retry".equals(words.get(0)) && tries < MAX_RETRIES) {
                    return runAtOnce(steps.stream().map(s -> s.retry() == null ? s : s.retry().apply(words.get(1)))
                            .toList(), tries + 1);
                }
                return Uni.createFrom().item(new Chain(words, List.of(), List.of()));
            }
            return Uni.createFrom().item(new Chain(null, steps, words.subList(1, words.size())));
        });
    }

    private Uni<Chain> runInTurn(List<Step> steps, int i, List<String> outputs, int tries) {
        List<Step> applied = steps.subList(0, i);
        if (i == steps.size()) {
            return Uni.createFrom().item(new Chain(null, applied, outputs));
        }
        Step step = steps.get(i);
        return call("run", List.of(step))
                .onFailure().call(() -> undo(applied, outputs).onFailure().recoverWithNull())
                .flatMap(r -> {
                    List<String> words = words(r);
                    if ("ok".equals(words.get(0))) {
                        return runInTurn(steps, i + 1, concat(outputs, List.of(words.get(1))), 0);
                    }
                    if ("retry".equals(words.get(0)) && step.retry() != null && tries < MAX_RETRIES) {
                        List<Step> next = new ArrayList<>(steps);
                        next.set(i, step.retry().apply(words.get(1)));
                        return runInTurn(next, i, outputs, tries + 1);
                    }
                    return undo(applied, outputs).replaceWith(new Chain(words, List.of(), List.of()));
                });
    }

    /** Undoes applied parts: one call on a standalone Redis, one per part (in parallel) on a cluster. */
    private Uni<Void> undo(List<Step> applied, List<String> outputs) {
        List<Step> undos = new ArrayList<>();
        for (int i = 0; i < applied.size(); i++) {
            if (applied.get(i).undo() != null) {
                undos.add(applied.get(i).undo().apply(outputs.get(i)));
            }
        }
        if (undos.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (!cluster) {
            return call("undo", undos).replaceWithVoid();
        }
        return Uni.join().all(undos.stream().map(u -> call("undo", List.of(u))).toList()).andFailFast()
                .replaceWithVoid();
    }

    private Uni<Response> call(String op, List<Step> steps) {
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of(op, Integer.toString(steps.size())));
        for (Step s : steps) {
            args.add(s.part());
            args.add(Integer.toString(s.keys().size()));
            args.add(Integer.toString(s.args().size()));
            keys.addAll(s.keys());
        }
        steps.forEach(s -> args.addAll(s.args()));
        return run(chain, keys, args);
    }

    private static List<String> words(Response r) {
        List<String> out = new ArrayList<>(r.size());
        for (Response w : r) {
            out.add(w == null ? "" : w.toString());
        }
        return out;
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
        if (e instanceof Problem) {
            return e;
        }
        // What Redis said (a timeout, a refused connection, a cluster error): the 503 itself says only "unavailable".
        io.quarkus.logging.Log.warnf("Redis call failed: %s", e.toString());
        return Problem.unavailable("verification store unavailable");
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
