package io.phonekey.identity.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Failed password logins, counted per account (the email) and per client IP in fixed windows in PostgreSQL, shared
 * by every replica. Over a limit, every attempt is refused with 429 and Retry-After, even the right password: a
 * guesser learns nothing more. A successful login clears the account's count.
 */
@ApplicationScoped
public class LoginLimits {

    static final Duration WINDOW = Duration.ofMinutes(15);
    static final int PER_ACCOUNT = 10;
    static final int PER_IP = 100;

    private static final String COUNT = "SELECT failures, GREATEST(0, EXTRACT(EPOCH FROM window_start + "
            + "make_interval(secs => $2) - now()))::bigint AS retry FROM login_failure "
            + "WHERE subject = $1 AND window_start > now() - make_interval(secs => $2)";
    private static final String FAIL = """
            INSERT INTO login_failure (subject, window_start, failures) VALUES ($1, now(), 1)
            ON CONFLICT (subject) DO UPDATE SET
              failures = CASE WHEN login_failure.window_start > now() - make_interval(secs => $2)
                              THEN login_failure.failures + 1 ELSE 1 END,
              window_start = CASE WHEN login_failure.window_start > now() - make_interval(secs => $2)
                                  THEN login_failure.window_start ELSE now() END
            """;

    private final Pool pool;

    public LoginLimits(Pool pool) {
        this.pool = pool;
    }

    /** Fails with 429 when the account or the IP is over its limit. */
    public Uni<Void> check(String email, String ip) {
        return over("account:" + email, PER_ACCOUNT).flatMap(a -> a != null
                ? Uni.createFrom().<Void>failure(a)
                : ip == null ? Uni.createFrom().voidItem() : over("ip:" + ip, PER_IP).map(i -> {
                    if (i != null) {
                        throw i;
                    }
                    return null;
                }));
    }

    private Uni<Problem> over(String subject, int limit) {
        return pool.preparedQuery(COUNT).execute(Tuple.of(subject, WINDOW.toSeconds())).map(rows -> {
            if (!rows.iterator().hasNext() || rows.iterator().next().getInteger("failures") < limit) {
                return null;
            }
            long retry = rows.iterator().next().getLong("retry");
            return Problem.tooMany("too_many_attempts", "too many failed logins; try again later", retry);
        });
    }

    public Uni<Void> failed(String email, String ip) {
        Uni<Void> account = record("account:" + email);
        return ip == null ? account : account.chain(() -> record("ip:" + ip));
    }

    public Uni<Void> succeeded(String email) {
        return pool.preparedQuery("DELETE FROM login_failure WHERE subject = $1").execute(Tuple.of("account:" + email))
                .replaceWithVoid();
    }

    private Uni<Void> record(String subject) {
        return pool.preparedQuery(FAIL).execute(Tuple.of(subject, WINDOW.toSeconds())).replaceWithVoid();
    }
}
