package io.phonekey.sms.service;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.Bucket;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The provider's limits per sender: a ceiling of messages per second ({@code SMS_SENDER_MPS}; a Bucket4j token bucket
 * holding one second's worth, refilled continuously) and the pause a provider asks for with a 429's
 * {@code Retry-After}. Waiting is a Vert.x timer on the caller's context, never a blocked thread. Tokens are reserved
 * in the order they are asked for, so waiters go out first come, first served.
 */
final class SenderLimits {

    private final Vertx vertx;
    private final int mps;
    private final ConcurrentHashMap<String, Limit> senders = new ConcurrentHashMap<>();

    SenderLimits(Vertx vertx, int mps) {
        if (mps < 1) {
            throw new IllegalStateException("SMS_SENDER_MPS must be at least 1, not " + mps);
        }
        this.vertx = vertx;
        this.mps = mps;
    }

    /** One sender's bucket and the instant (System.nanoTime) until which the provider asked it to pause. */
    private record Limit(Bucket bucket, AtomicLong pausedUntil) {
    }

    /** Completes when {@code sender} may send one more message; it has then used its share of the rate. */
    Uni<Void> acquire(String sender) {
        Limit limit = limit(sender);
        long wait = limit.bucket().consumeIgnoringRateLimits(1);
        return after(wait).chain(() -> pauseOver(limit));
    }

    /** The provider asked this sender to wait: every send from it holds until then. */
    void pause(String sender, Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        limit(sender).pausedUntil().accumulateAndGet(until, Math::max);
    }

    private Uni<Void> pauseOver(Limit limit) {
        long left = limit.pausedUntil().get() - System.nanoTime();
        return left <= 0 ? Uni.createFrom().voidItem() : after(left).chain(() -> pauseOver(limit));
    }

    private Uni<Void> after(long nanos) {
        if (nanos <= 0) {
            return Uni.createFrom().voidItem();
        }
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
        return Uni.createFrom().emitter(e -> vertx.setTimer(millis, id -> e.complete(null)));
    }

    private Limit limit(String sender) {
        return senders.computeIfAbsent(sender, s -> new Limit(
                Bucket.builder().addLimit(l -> l.capacity(mps).refillGreedy(mps, Duration.ofSeconds(1))).build(),
                new AtomicLong(System.nanoTime())));
    }
}
