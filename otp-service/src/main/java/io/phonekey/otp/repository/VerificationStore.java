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

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.otp.rest.Problem;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

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
    private final Script rollback = Script.load("rollback");

    public VerificationStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static String verificationKey(String id) {
        return "otp:v:" + id;
    }

    public static String pointerKey(String phone, String purpose) {
        return "otp:p:" + phone + ":" + purpose;
    }

    /** The outcome of a create: {@code ok} with the replaced verification id, or the name of the refusing limit. */
    public record CreateOutcome(String result, String previousId, long retryAfterMillis) {
    }

    /**
     * Creates a verification. With an idempotency key already used, the outcome is {@code idempotent} and
     * {@code previousId} holds {@code <id>|<fingerprint>} of the first create.
     */
    public Uni<CreateOutcome> create(String id, String phone, String purpose, String clientIp, long ttlMillis,
            Limits limits, String idempotencyKey, String fingerprint, Map<String, String> fields) {
        List<String> keys = List.of(verificationKey(id), pointerKey(phone, purpose), "otp:rl:gap:" + phone,
                "otp:rl:15m:" + phone, "otp:rl:24h:" + phone, clientIp == null ? "" : "otp:rl:ip:" + clientIp,
                "otp:lock:" + phone, idempotencyKey == null ? "" : idempotencyKey,
                "otp:rl:prefix:" + phone.substring(0, phone.length() - 4));
        List<String> args = new ArrayList<>(List.of(id, Long.toString(ttlMillis), Long.toString(limits.gapMillis()),
                Integer.toString(limits.phone15m()), Integer.toString(limits.phone24h()),
                Integer.toString(limits.ip1h()), fingerprint, Integer.toString(limits.prefix1h())));
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        return run(create, keys, args).map(r -> switch (r.get(0).toString()) {
            case "ok", "idempotent" -> new CreateOutcome(r.get(0).toString(), r.get(1).toString(), 0);
            default -> new CreateOutcome(r.get(0).toString(), null, r.get(1).toLong());
        });
    }

    /** Send limits as the create script takes them. */
    public record Limits(long gapMillis, int phone15m, int phone24h, int ip1h, int prefix1h) {
    }

    /** Outcome of counting one attempt. */
    public record Attempt(String result, String hash, int attemptsLeft, String amount, String payee, long retryMillis) {
    }

    public Uni<Attempt> attempt(String id) {
        return run(attempt, List.of(verificationKey(id)), List.of()).map(r -> switch (r.get(0).toString()) {
            case "compare" -> new Attempt("compare", r.get(1).toString(), r.get(2).toInteger(), r.get(3).toString(),
                    r.get(4).toString(), 0);
            case "phone_locked" -> new Attempt("phone_locked", null, 0, null, null, r.get(1).toLong());
            default -> new Attempt(r.get(0).toString(), null, 0, null, null, 0);
        });
    }

    /** Records a wrong code; returns {@code phone_locked} with the lock in milliseconds when the phone got locked. */
    public Uni<Attempt> fail(String id, int failuresBeforeLock, long lockMillis, int attemptsLeft) {
        return run(fail, List.of(verificationKey(id)),
                List.of(Integer.toString(failuresBeforeLock), Long.toString(lockMillis),
                        Integer.toString(attemptsLeft)))
                .map(r -> "phone_locked".equals(r.get(0).toString())
                        ? new Attempt("phone_locked", null, 0, null, null, r.get(1).toLong())
                        : new Attempt(r.get(0).toString(), null, attemptsLeft, null, null, 0));
    }

    public Uni<Boolean> approve(String id, String verifiedAt) {
        return run(approve, List.of(verificationKey(id)), List.of(verifiedAt)).map(r -> r.toInteger() == 1);
    }

    public Uni<Boolean> revertApproval(String id) {
        return run(revert, List.of(verificationKey(id)), List.of()).map(r -> r.toInteger() == 1);
    }

    public Uni<Boolean> cancel(String id) {
        return run(cancel, List.of(verificationKey(id)), List.of()).map(r -> r.toInteger() == 1);
    }

    /**
     * Undoes a create whose event could not be published: removes it, gives back its sends, and revives the code it
     * replaced, so a broker outage neither kills the user's code nor counts against their limits.
     */
    public Uni<Void> rollback(String id, String replacedId, String phone, String purpose, String clientIp,
            String idempotencyKey) {
        List<String> keys = List.of(verificationKey(id), pointerKey(phone, purpose), "otp:rl:gap:" + phone,
                "otp:rl:15m:" + phone, "otp:rl:24h:" + phone, clientIp == null ? "" : "otp:rl:ip:" + clientIp,
                "otp:rl:prefix:" + phone.substring(0, phone.length() - 4),
                idempotencyKey == null ? "" : idempotencyKey);
        return run(rollback, keys, List.of(id, replacedId == null ? "" : replacedId)).replaceWithVoid();
    }

    public Uni<Map<String, String>> get(String id) {
        return redis.hash(String.class).hgetall(verificationKey(id))
                .onFailure().transform(VerificationStore::unavailable);
    }

    public Uni<String> currentId(String phone, String purpose) {
        return redis.value(String.class).get(pointerKey(phone, purpose))
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
                .onFailure().transform(VerificationStore::unavailable);
    }

    private static Throwable unavailable(Throwable e) {
        return e instanceof Problem ? e : Problem.unavailable("verification store unavailable");
    }

    private record Script(String source, String sha) {

        static Script load(String name) {
            try (InputStream in = VerificationStore.class.getResourceAsStream("/lua/" + name + ".lua")) {
                String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String sha = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
                return new Script(source, sha);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
